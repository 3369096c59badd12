using System.Globalization;
using Moderation.Ml.Data;
using Moderation.Ml.Features;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Evaluation;

public static class ModelEvaluator
{
    /// <param name="antiBiasKeys">Dedup keys (<see cref="TextNormalizer.DedupKey"/>) of COLD's anti-bias test rows, if known.</param>
    public static EvaluationReport Evaluate(LoadedModel model, IReadOnlyList<LabelledRow> rows, string datasetName, IReadOnlySet<string>? antiBiasKeys = null, Action<string>? progress = null)
    {
        var heads = model.Categories;
        var scores = new float[rows.Count][];
        var prohibited = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            scores[i] = new float[heads.Count];
            prohibited[i] = model.Predict(rows[i].Text, scores[i]);
            if (progress is not null && i > 0 && i % 10000 == 0)
            {
                progress($"scored {i}/{rows.Count}");
            }
        }

        var perCategory = new List<CategoryMetrics>();
        var curves = new Dictionary<string, IReadOnlyList<PrPoint>>();
        for (var h = 0; h < heads.Count; h++)
        {
            var scored = rows.Select((r, i) => ((double)scores[i][h], r.Category == heads[h])).ToArray();
            var key = heads[h].ToString(CultureInfo.InvariantCulture);
            var threshold = model.Manifest.Thresholds.TryGetValue(key, out var t) ? t.ModelReviewThreshold : 0.5;
            perCategory.Add(Metrics.Binary(heads[h], threshold, scored));
            curves[key] = Metrics.PrCurve(scored);
        }

        var confusion = Metrics.Confusion(rows.Select((r, i) => (r.Category, PredictedCategory(model, scores[i]))));
        return new EvaluationReport
        {
            ModelVersion = model.Version,
            Dataset = datasetName,
            Rows = rows.Count,
            Categories = perCategory,
            Confusion = confusion,
            Overall = Metrics.Overall(confusion),
            ColdTest = ColdTest(model, rows, prohibited, antiBiasKeys),
            PrCurves = curves,
        };
    }

    /// <summary>The single most likely category whose probability clears its review threshold, else 0 (clean).</summary>
    public static int PredictedCategory(LoadedModel model, IReadOnlyList<float> probabilities)
    {
        var best = 0;
        var bestScore = double.MinValue;
        for (var h = 0; h < model.Categories.Count; h++)
        {
            var key = model.Categories[h].ToString(CultureInfo.InvariantCulture);
            var threshold = model.Manifest.Thresholds.TryGetValue(key, out var t) ? t.ModelReviewThreshold : 0.5;
            if (probabilities[h] >= threshold && probabilities[h] > bestScore)
            {
                best = model.Categories[h];
                bestScore = probabilities[h];
            }
        }

        return best;
    }

    private static ColdTestResult? ColdTest(LoadedModel model, IReadOnlyList<LabelledRow> rows, double[] prohibited, IReadOnlySet<string>? antiBiasKeys)
    {
        var cold = rows.Select((r, i) => (r, i)).Where(x => x.r.Source == "COLD" && x.r.Split == Splits.Test).ToArray();
        if (cold.Length == 0)
        {
            return null;
        }

        var threshold = model.Manifest.OffensiveThreshold;
        var pairs = cold.Select(x => (prohibited[x.i] >= threshold, x.r.Category != 0)).ToArray();
        var (accuracy, macroF1) = Metrics.BinaryAccuracy(pairs);
        var anti = antiBiasKeys is null ? [] : cold.Where(x => antiBiasKeys.Contains(TextNormalizer.DedupKey(x.r.Text))).ToArray();
        var antiAccuracy = anti.Length == 0 ? 0 : anti.Count(x => (prohibited[x.i] >= threshold) == (x.r.Category != 0)) / (double)anti.Length;
        return new ColdTestResult(cold.Length, accuracy, macroF1, anti.Length, antiAccuracy, threshold);
    }

    /// <summary>Reads COLD's test.csv and returns the dedup keys of rows with fine-grained-label 3 (anti-bias, safe).</summary>
    public static IReadOnlySet<string> ReadColdAntiBias(string testCsvPath)
    {
        var records = Csv.Read(File.ReadAllText(testCsvPath));
        var header = records[0].Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        var text = header.FindIndex(h => h.Equals("TEXT", StringComparison.OrdinalIgnoreCase));
        var fine = header.IndexOf("fine-grained-label");
        if (text < 0 || fine < 0)
        {
            throw new InvalidDataException($"{testCsvPath}: expected TEXT and fine-grained-label columns");
        }

        return records.Skip(1)
            .Where(r => r.Count > Math.Max(text, fine) && r[fine].Trim() == "3")
            .Select(r => TextNormalizer.DedupKey(r[text]))
            .ToHashSet(StringComparer.Ordinal);
    }
}
