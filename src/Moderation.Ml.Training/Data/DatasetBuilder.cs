using System.Globalization;
using Moderation.Ml.Features;

namespace Moderation.Ml.Data;

/// <summary>What went into a training set, for the model card.</summary>
public sealed record SourceStats(string Source, int Rows, IReadOnlyDictionary<int, int> PerCategory);

public sealed class Dataset
{
    public required IReadOnlyList<LabelledRow> Train { get; init; }
    public required IReadOnlyList<LabelledRow> Dev { get; init; }
    public required IReadOnlyList<LabelledRow> Test { get; init; }
    public required IReadOnlyList<SourceStats> Sources { get; init; }
    public int DuplicatesDropped { get; init; }
    public int ConflictingTextsDropped { get; init; }
    public int KeptOut { get; init; }
}

/// <summary>
/// Merges labelled sources into one deduplicated set with seeded, stratified splits.
/// Rows that carry an official split (COLD) keep it; the rest are split 80/10/10 per (source, category).
/// A text labelled differently anywhere is dropped everywhere: we cannot tell which label is right.
/// </summary>
public static class DatasetBuilder
{
    public static Dataset Build(IEnumerable<LabelledRow> rows, int seed, double devFraction = 0.1, double testFraction = 0.1)
    {
        var keptOut = 0;
        var byKey = new Dictionary<string, List<LabelledRow>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in rows)
        {
            if (row.Category < 0 || row.Category > 9 || string.IsNullOrWhiteSpace(row.Text))
            {
                keptOut++;
                continue;
            }

            var key = TextNormalizer.DedupKey(row.Text);
            if (!byKey.TryGetValue(key, out var list))
            {
                byKey[key] = list = [];
                order.Add(key);
            }

            list.Add(row);
        }

        var duplicates = 0;
        var conflicts = 0;
        var unique = new List<LabelledRow>(order.Count);
        foreach (var key in order)
        {
            var group = byKey[key];
            if (group.Select(r => r.Category).Distinct().Skip(1).Any())
            {
                conflicts++;
                continue;
            }

            duplicates += group.Count - 1;
            // Prefer a row with an official split so published test sets stay intact.
            unique.Add(group.FirstOrDefault(r => IsOfficial(r.Split)) ?? group[0]);
        }

        var train = new List<LabelledRow>();
        var dev = new List<LabelledRow>();
        var test = new List<LabelledRow>();
        foreach (var row in unique.Where(r => IsOfficial(r.Split)))
        {
            (row.Split == Splits.Train ? train : row.Split == Splits.Dev ? dev : test).Add(row);
        }

        foreach (var stratum in unique.Where(r => !IsOfficial(r.Split)).GroupBy(r => (r.Source, r.Category)).OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.Category))
        {
            var items = stratum.ToArray();
            // HashCode.Combine is randomised per process: splits must be the same in train and evaluate.
            var rng = new Random(unchecked((seed * 31 + StableHash(stratum.Key.Source)) * 31 + stratum.Key.Category) & int.MaxValue);
            rng.Shuffle(items);
            var nTest = (int)Math.Round(items.Length * testFraction);
            var nDev = (int)Math.Round(items.Length * devFraction);
            for (var i = 0; i < items.Length; i++)
            {
                var split = i < nTest ? Splits.Test : i < nTest + nDev ? Splits.Dev : Splits.Train;
                (split == Splits.Train ? train : split == Splits.Dev ? dev : test).Add(items[i] with { Split = split });
            }
        }

        var sources = unique.GroupBy(r => r.Source)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SourceStats(g.Key, g.Count(), g.GroupBy(r => r.Category).OrderBy(c => c.Key).ToDictionary(c => c.Key, c => c.Count())))
            .ToList();

        return new Dataset
        {
            Train = train,
            Dev = dev,
            Test = test,
            Sources = sources,
            DuplicatesDropped = duplicates,
            ConflictingTextsDropped = conflicts,
            KeptOut = keptOut,
        };
    }

    private static bool IsOfficial(string split) => split is Splits.Train or Splits.Dev or Splits.Test;

    /// <summary>string.GetHashCode is randomised per process; splits must not be.</summary>
    internal static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var ch in s)
            {
                h = (h ^ ch) * 16777619;
            }

            return h;
        }
    }

    public static string Describe(Dataset d) => string.Create(CultureInfo.InvariantCulture,
        $"train {d.Train.Count}, dev {d.Dev.Count}, test {d.Test.Count}; duplicates dropped {d.DuplicatesDropped}, conflicting texts dropped {d.ConflictingTextsDropped}, kept out {d.KeptOut}");
}
