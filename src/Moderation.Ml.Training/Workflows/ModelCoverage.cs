using System.Globalization;
using System.Text;
using Moderation.Ml.Data;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Workflows;

/// <summary>One row of the model card's coverage table: the model alone, at its own review thresholds.</summary>
public sealed record CoverageLine(string Data, int Category, int Rows, int Acted, int RightCategory);

/// <summary>
/// What the model alone does on data it never trained on and that was not used to choose a threshold: the
/// project's separately written test set (models/classifier/examples/test/, never read by train) and the
/// held-out 30% of clean_zh. The whole decision (keywords + detector + model + policy) is measured by
/// <c>moderation evaluate-decisions</c>; this is the model's own share.
/// </summary>
public static class ModelCoverage
{
    public static IReadOnlyList<CoverageLine> Measure(LoadedModel model, DataSources sources)
    {
        var sets = new List<(string Name, List<LabelledRow> Rows)>();
        var testDir = Path.Combine(sources.ExamplesDirectory, "test");
        if (Directory.Exists(testDir))
        {
            foreach (var file in Directory.EnumerateFiles(testDir, "*.tsv").Order(StringComparer.Ordinal))
            {
                sets.Add(($"examples/test/{Path.GetFileName(file)}", LabelledTsv.Read(file).Where(r => r.Category >= 0).ToList()));
            }
        }

        var clean = Path.Combine(sources.DataRoot, DataSources.CleanZh, "normalized.tsv");
        if (File.Exists(clean))
        {
            sets.Add(("clean_zh held-out 30%", LabelledTsv.Read(clean).Where(r => HeldOutSplit.For(r.Text) == Splits.Test).ToList()));
        }

        var lines = new List<CoverageLine>();
        var thresholds = model.Categories.Select(c => model.Manifest.Thresholds.TryGetValue(c.ToString(CultureInfo.InvariantCulture), out var t) ? t.ModelReviewThreshold : 1.01).ToArray();
        var p = new float[model.Categories.Count];
        foreach (var (name, rows) in sets)
        {
            foreach (var group in rows.GroupBy(r => r.Category).OrderBy(g => g.Key))
            {
                int acted = 0, right = 0;
                foreach (var row in group)
                {
                    model.Predict(row.Text, p);
                    var any = false;
                    for (var h = 0; h < p.Length; h++)
                    {
                        if (p[h] >= thresholds[h])
                        {
                            any = true;
                            right += model.Categories[h] == row.Category ? 1 : 0;
                        }
                    }

                    acted += any ? 1 : 0;
                }

                lines.Add(new CoverageLine(name, group.Key, group.Count(), acted, right));
            }
        }

        return lines;
    }

    public static string Markdown(IReadOnlyList<CoverageLine> lines)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| data (never trained on) | cat | rows | model alone acts | in the row's category |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var l in lines)
        {
            sb.AppendLine(inv, $"| {l.Data} | {l.Category} | {l.Rows} | {Pct(l.Acted, l.Rows)} | {(l.Category == 0 ? "—" : Pct(l.RightCategory, l.Rows))} |");
        }

        return sb.ToString();

        static string Pct(int a, int b) => b == 0 ? "n/a" : (100.0 * a / b).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }
}
