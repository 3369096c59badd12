using System.Globalization;
using System.Text;
using System.Text.Json;
using Moderation.Ml.Data;
using Moderation.Ml.Evaluation;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Workflows;

public static class EvaluateWorkflow
{
    public const string MetricsFile = "metrics.json";

    /// <summary>
    /// Evaluates and prints the report; with an <paramref name="outputDirectory"/>, also writes metrics.json
    /// and the PR-curve PNGs there (null: nothing is written anywhere).
    /// </summary>
    public static EvaluationReport Run(LoadedModel model, IReadOnlyList<LabelledRow> rows, string datasetName, string? coldTestCsv, string? outputDirectory, TextWriter output, object? extra = null)
    {
        var antiBias = coldTestCsv is not null && File.Exists(coldTestCsv) ? ModelEvaluator.ReadColdAntiBias(coldTestCsv) : null;
        var report = ModelEvaluator.Evaluate(model, rows, datasetName, antiBias, output.WriteLine);
        output.Write(Format(report));
        output.WriteLine(report.Overall.Line);
        if (outputDirectory is not null)
        {
            Directory.CreateDirectory(outputDirectory);
            PrCurvePlot.Write(outputDirectory, report);
            var json = JsonSerializer.Serialize(new { report, extra }, ModelManifest.Json);
            File.WriteAllText(Path.Combine(outputDirectory, MetricsFile), json + "\n");
        }
        if (report.ColdTest is { } cold)
        {
            output.WriteLine(cold.Line);
        }
        else
        {
            output.WriteLine("cold-test: no COLD test rows in this data");
        }

        return report;
    }

    public static string Format(EvaluationReport report)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"model {report.ModelVersion} on {report.Dataset} ({report.Rows} rows), at each category's review threshold:");
        sb.AppendLine("category  threshold  precision  recall     f1  support      AP");
        foreach (var c in report.Categories)
        {
            sb.AppendLine(inv, $"{c.Category,8}  {c.Threshold,9:0.000}  {c.Precision,9:0.000}  {c.Recall,6:0.000}  {c.F1,5:0.000}  {c.Support,7}  {c.AveragePrecision,6:0.000}");
        }

        sb.AppendLine("confusion matrix (rows: true category, columns: predicted; 0 = clean):");
        sb.Append("true\\pred");
        foreach (var l in report.Confusion.Labels)
        {
            sb.Append(inv, $"{l,8}");
        }

        sb.AppendLine();
        for (var i = 0; i < report.Confusion.Labels.Count; i++)
        {
            sb.Append(inv, $"{report.Confusion.Labels[i],9}");
            foreach (var n in report.Confusion.Counts[i])
            {
                sb.Append(inv, $"{n,8}");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }
}
