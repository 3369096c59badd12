using System.CommandLine;
using System.Globalization;
using System.Text;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Cli.Keywords;

/// <summary>
/// <c>keyword-quality</c>: with the default lexicon, the share of clean rows flagged and the recall
/// on offensive rows per category, on COLD (all rows and the test split), SWSR and Davidson, or on the
/// files given with <c>--data</c>.
/// Texts that occur with conflicting labels are left out.
/// </summary>
internal static class KeywordQualityCommand
{
    public static Command Create()
    {
        var lexiconDirs = new Option<string[]>("--lexicon-dir") { Description = "Lexicon directories (default: the shipped lexicon)." };
        var top = new Option<int>("--top") { Description = "List the N terms that flag the most clean rows.", DefaultValueFactory = _ => 10 };
        var data = new Option<string[]>("--data") { Description = "Labelled TSV (text, orig_label, cat, split, source) to measure instead of COLD, SWSR and Davidson. Repeatable." };
        var command = new Command("keyword-quality", "False-positive rate on clean rows and recall per category for the keyword engine.") { lexiconDirs, top, data };
        command.SetAction(parse =>
        {
            var dirs = parse.GetValue(lexiconDirs) is { Length: > 0 } d ? d : [KeywordOptions.DefaultDirectory];
            var engine = KeywordEngine.Compile(LexiconLoader.Load(dirs));
            Console.WriteLine($"lexicon {engine.Version}: {engine.Lexicon.Entries.Count} terms, {engine.Lexicon.AllowPhrases.Count} allowed phrases");
            var sets = parse.GetValue(data) is { Length: > 0 } files
                ? files.Select(f => (Path.GetFileName(f), Path.GetFullPath(f), (string?)null)).ToArray()
                : new[]
                {
                    ("COLD (all)", RepoPaths.SharedData("cold/normalized.tsv"), (string?)null),
                    ("COLD (test)", RepoPaths.SharedData("cold/normalized.tsv"), "test"),
                    ("SWSR", RepoPaths.SharedData("swsr/normalized.tsv"), null),
                    ("Davidson (en)", RepoPaths.SharedData("davidson_en/normalized.tsv"), null),
                };
            foreach (var (name, path, split) in sets)
            {
                if (!File.Exists(path))
                {
                    Console.WriteLine($"{name}: {path} not found, skipped");
                    continue;
                }

                Report(name, ReadRows(path, split), engine, parse.GetValue(top));
            }

            return 0;
        });
        return command;
    }

    private static void Report(string name, List<(string Text, int Cat)> rows, KeywordEngine engine, int top)
    {
        var clean = 0;
        var cleanFlagged = 0;
        var perCat = new SortedDictionary<int, (int Rows, int Flagged, int SameCategory)>();
        var fpTerms = new Dictionary<string, int>();
        foreach (var (text, cat) in rows)
        {
            var hits = engine.FindHits(text);
            if (cat == 0)
            {
                clean++;
                if (hits.Count > 0)
                {
                    cleanFlagged++;
                    foreach (var term in hits.Select(h => h.Term).Distinct())
                    {
                        fpTerms[term] = fpTerms.GetValueOrDefault(term) + 1;
                    }
                }
            }
            else if (cat > 0)
            {
                var (n, f, s) = perCat.GetValueOrDefault(cat);
                perCat[cat] = (n + 1, f + (hits.Count > 0 ? 1 : 0), s + (hits.Any(h => h.Category == cat) ? 1 : 0));
            }
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{name}: clean flagged {cleanFlagged}/{clean} = {Pct(cleanFlagged, clean)}");
        foreach (var (cat, (n, f, s)) in perCat)
        {
            sb.Append(CultureInfo.InvariantCulture, $"; cat {cat} recall {Pct(f, n)} (same category {Pct(s, n)}, n={n})");
        }

        Console.WriteLine(sb.ToString());
        if (top > 0 && fpTerms.Count > 0)
        {
            Console.WriteLine("  clean rows flagged by: " + string.Join(", ", fpTerms.OrderByDescending(kv => kv.Value).Take(top).Select(kv => $"{kv.Key} {kv.Value}")));
        }
    }

    private static string Pct(int a, int b) => b == 0 ? "n/a" : (100.0 * a / b).ToString("F2", CultureInfo.InvariantCulture) + "%";

    /// <summary>normalized.tsv rows (read by the training code's own reader), conflicting duplicates dropped.</summary>
    private static List<(string Text, int Cat)> ReadRows(string path, string? split)
    {
        var byText = new Dictionary<string, int>(StringComparer.Ordinal);
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Moderation.Ml.Data.LabelledTsv.Read(path))
        {
            if (row.Category < 0 || (split is not null && row.Split != split))
            {
                continue;
            }

            if (byText.TryGetValue(row.Text, out var existing) && existing != row.Category)
            {
                conflicting.Add(row.Text);
            }

            byText[row.Text] = row.Category;
        }

        return [.. byText.Where(kv => !conflicting.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value))];
    }
}
