namespace Moderation.Ml.Data;

/// <summary>Where training data lives: the shared reference data, the project's own examples, moderator decisions.</summary>
public sealed record DataSources(string DataRoot, string ExamplesDirectory, IReadOnlyList<string> DecisionFiles)
{
    public const string DecisionsSource = "moderator-decision";
    public static readonly string[] PublicSets = ["cold", "swsr", "davidson_en", CleanZh];

    /// <summary>Everyday clean Chinese (chat, task dialogues, reviews): negatives only, split by <see cref="HeldOutSplit"/> so 30% is never trained on.</summary>
    public const string CleanZh = "clean_zh";

    /// <summary>The repository root: the nearest directory upwards holding Moderation.sln.</summary>
    public static string? FindRepoRoot(string? start = null)
    {
        foreach (var origin in new[] { start ?? Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    public static string DefaultDataRoot(string repoRoot) => Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "data"));

    public string ColdTestCsv => Path.Combine(DataRoot, "cold", "test.csv");

    public IEnumerable<LabelledRow> ReadAll(Action<string> progress)
    {
        foreach (var set in PublicSets)
        {
            var path = Path.Combine(DataRoot, set, "normalized.tsv");
            if (!File.Exists(path))
            {
                progress($"missing {path}: skipped");
                continue;
            }

            var rows = LabelledTsv.Read(path, set).ToList();
            if (set == CleanZh)
            {
                rows = [.. rows.Select(r => r with { Split = HeldOutSplit.For(r.Text) })];
            }

            progress($"read {rows.Count} rows from {path}");
            foreach (var r in rows)
            {
                yield return r;
            }
        }

        if (Directory.Exists(ExamplesDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(ExamplesDirectory, "*.tsv").Order(StringComparer.Ordinal))
            {
                var rows = LabelledTsv.Read(path, "project-examples").ToList();
                progress($"read {rows.Count} project examples from {Path.GetFileName(path)}");
                foreach (var r in rows)
                {
                    yield return r with { Source = "project-examples" };
                }
            }
        }

        foreach (var path in DecisionFiles)
        {
            var rows = LabelledTsv.Read(path).ToList();
            progress($"read {rows.Count} moderator decisions from {path}");
            foreach (var r in rows)
            {
                // Decisions never claim an official split: they are split like any other source.
                yield return r with { Source = DecisionsSource, Split = "" };
            }
        }
    }
}
