using System.Globalization;
using ScottPlot;

namespace Moderation.Ml.Evaluation;

public static class PrCurvePlot
{
    /// <summary>Writes pr-&lt;category&gt;.png per curve; returns the file names written.</summary>
    public static IReadOnlyList<string> Write(string directory, EvaluationReport report)
    {
        var files = new List<string>();
        foreach (var (category, points) in report.PrCurves)
        {
            var metrics = report.Categories.First(c => c.Category.ToString(CultureInfo.InvariantCulture) == category);
            var plot = new Plot();
            var line = plot.Add.Scatter(points.Select(p => p.Recall).ToArray(), points.Select(p => p.Precision).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 2;
            var op = plot.Add.Marker(metrics.Recall, metrics.Precision, MarkerShape.FilledCircle, 10, Colors.Red);
            op.LegendText = string.Create(CultureInfo.InvariantCulture, $"review threshold {metrics.Threshold:0.00}");
            plot.Title(string.Create(CultureInfo.InvariantCulture, $"Category {category} precision-recall (AP {metrics.AveragePrecision:0.000}, {metrics.Support} positives)"));
            plot.XLabel("recall");
            plot.YLabel("precision");
            plot.Axes.SetLimits(0, 1, 0, 1.02);
            plot.ShowLegend(Alignment.LowerLeft);
            var name = $"pr-{category}.png";
            plot.SavePng(Path.Combine(directory, name), 640, 480);
            files.Add(name);
        }

        return files;
    }
}
