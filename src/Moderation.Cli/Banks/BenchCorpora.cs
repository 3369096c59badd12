using System.Text;
using Moderation.Banks;

namespace Moderation.Cli.Banks;

/// <summary>The reference rows the benchmark reads, and the varied text it builds big banks from.</summary>
internal static class BenchCorpora
{
    private const string ClauseEnds = "，。！？；：,.!?;~…";

    /// <summary>Rows of a shared-data <c>normalized.tsv</c> (text, orig_label, cat, split, source); quoted fields unquoted.</summary>
    public static IEnumerable<(string Text, string Cat, string Split)> ReadTsv(string path)
    {
        var first = true;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (first)
            {
                first = false;
                continue;
            }

            var f = line.Split('\t');
            if (f.Length < 4)
            {
                continue;
            }

            yield return (Unquote(f[0]), Unquote(f[2]), Unquote(f[3]));
        }
    }

    private static string Unquote(string field) =>
        field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : field;

    /// <summary>Clauses (at least four characters) of many real posts: material for bank entries.</summary>
    public static List<string> Clauses(IEnumerable<string> texts)
    {
        var clauses = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var start = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && !ClauseEnds.Contains(text[i], StringComparison.Ordinal))
                {
                    continue;
                }

                var clause = text[start..i].Trim();
                if (clause.Length >= 4 && seen.Add(clause))
                {
                    clauses.Add(clause);
                }

                start = i + 1;
            }
        }

        return clauses;
    }

    /// <summary>
    /// <paramref name="count"/> distinct bank entries of real-post length, each two or more clauses of
    /// real posts joined in a random order; a fifth of them are light variants (new numbers, a clause
    /// dropped or swapped, a character inserted) of an earlier one, as banks filled from campaigns are.
    /// </summary>
    public static List<BankEntry> Entries(List<string> clauses, IReadOnlyList<int> lengths, int count, int seed, double threshold, BankIndexOptions options)
    {
        var r = new Random(seed);
        var texts = new List<string>(count);
        var sb = new StringBuilder(256);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (texts.Count < count)
        {
            string text;
            if (texts.Count > 100 && r.NextDouble() < 0.2)
            {
                text = Variant(texts[r.Next(texts.Count)], r);
            }
            else
            {
                var target = Math.Clamp(lengths[r.Next(lengths.Count)], 24, 400);
                sb.Clear();
                do
                {
                    if (sb.Length > 0)
                    {
                        sb.Append(r.NextDouble() < 0.7 ? '，' : '。');
                    }

                    sb.Append(clauses[r.Next(clauses.Count)]);
                }
                while (sb.Length < target);

                text = sb.ToString();
            }

            if (seen.Add(text) && BankText.ShingleSet(text, options).Length >= options.MinShingles)
            {
                texts.Add(text);
            }
        }

        var entries = new List<BankEntry>(count);
        for (var i = 0; i < texts.Count; i++)
        {
            var bank = i % 9;
            entries.Add(new BankEntry($"bulk-{bank + 1}", $"bulk bank {bank + 1}", i, bank + 1, null,
                bank % 2 == 0 ? BankAction.Quarantine : BankAction.Block, threshold, texts[i]));
        }

        return entries;
    }

    private static string Variant(string text, Random r)
    {
        var parts = text.Split('，', '。').ToList();
        switch (r.Next(3))
        {
            case 0 when parts.Count > 2:
                parts.RemoveAt(r.Next(parts.Count));
                break;
            case 1 when parts.Count > 1:
                var i = r.Next(parts.Count - 1);
                (parts[i], parts[i + 1]) = (parts[i + 1], parts[i]);
                break;
            default:
                parts.Insert(r.Next(parts.Count + 1), "真的" + r.Next(10, 9999));
                break;
        }

        return string.Join('，', parts);
    }
}
