using System.Globalization;
using System.Text;

namespace Moderation.Ml.Data;

/// <summary>
/// Reads and writes the <c>text, orig_label, cat, split, source</c> TSV format. Fields that contain a
/// quote are quoted CSV-style ("" inside); tabs and newlines never occur inside a field.
/// </summary>
public static class LabelledTsv
{
    public static readonly string[] Columns = ["text", "orig_label", "cat", "split", "source"];

    public static IEnumerable<LabelledRow> Read(string path, string? defaultSource = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty file");
        var names = SplitLine(header).Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        int text = names.IndexOf("text"), cat = names.IndexOf("cat");
        if (text < 0 || cat < 0)
        {
            throw new InvalidDataException($"{path}: header must name at least 'text' and 'cat' columns, got '{header}'");
        }

        int orig = names.IndexOf("orig_label"), split = names.IndexOf("split"), source = names.IndexOf("source");
        var fallbackSource = defaultSource ?? Path.GetFileNameWithoutExtension(path);
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = SplitLine(line);
            if (f.Count <= Math.Max(text, cat) || !int.TryParse(f[cat], NumberStyles.Integer, CultureInfo.InvariantCulture, out var c))
            {
                throw new InvalidDataException($"{path}:{lineNo}: malformed row");
            }

            yield return new LabelledRow(
                f[text],
                c,
                Field(f, split).ToLowerInvariant(),
                Field(f, source) is { Length: > 0 } s ? s : fallbackSource,
                Field(f, orig));
        }
    }

    public static void Write(string path, IEnumerable<LabelledRow> rows)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.Write(string.Join('\t', Columns) + "\n");
        foreach (var r in rows)
        {
            w.Write(string.Join('\t', Quote(r.Text), Quote(r.OrigLabel), r.Category.ToString(CultureInfo.InvariantCulture), Quote(r.Split), Quote(r.Source)) + "\n");
        }
    }

    private static string Field(List<string> f, int i) => i >= 0 && i < f.Count ? f[i] : "";

    private static string Quote(string s)
    {
        s = s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        return s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    internal static List<string> SplitLine(string line, char separator = '\t')
    {
        var fields = new List<string>(5);
        var sb = new StringBuilder();
        var i = 0;
        while (i <= line.Length)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(line[i++]);
                }

                // Anything between the closing quote and the separator is kept verbatim.
                while (i < line.Length && line[i] != separator)
                {
                    sb.Append(line[i++]);
                }
            }
            else
            {
                var end = line.IndexOf(separator, i);
                if (end < 0)
                {
                    end = line.Length;
                }

                sb.Append(line, i, end - i);
                i = end;
            }

            fields.Add(sb.ToString());
            i++; // skip the separator (or step past the end)
        }

        return fields;
    }
}
