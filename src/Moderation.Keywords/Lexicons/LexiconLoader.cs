using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Moderation.Core.Taxonomy;
using Moderation.Keywords.Normalization;

namespace Moderation.Keywords.Lexicons;

/// <summary>
/// Reads lexicon directories and files. Format (UTF-8, one term per line, '#' starts a comment):
/// <c>term TAB category(1-9) TAB sub-label (or "-") TAB severity (1-3 or low/medium/high) [TAB flags]</c>,
/// flags comma-separated: latin-word, substring, pinyin. Files named <c>*.allow.txt</c> are
/// allow-lists: one phrase per line; a hit lying inside an allowed phrase is dropped.
/// In a directory, <c>*.tsv</c> and <c>*.allow.txt</c> are read in ordinal name order.
/// </summary>
public static class LexiconLoader
{
    public const string LexiconPattern = "*.tsv";
    public const string AllowPattern = "*.allow.txt";

    /// <summary>Loads all paths together; throws <see cref="LexiconLoadException"/> listing every bad line.</summary>
    public static LexiconSet Load(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var errors = new List<LexiconError>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, LexiconPattern).Order(StringComparer.Ordinal));
                files.AddRange(Directory.EnumerateFiles(path, AllowPattern).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                errors.Add(new LexiconError(path, 0, "no such lexicon file or directory"));
            }
        }

        var entries = new List<LexiconEntry>();
        var allow = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(CharFolder.Version + "\n"));
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (IOException ex)
            {
                errors.Add(new LexiconError(file, 0, "cannot read: " + ex.Message));
                continue;
            }
            catch (UnauthorizedAccessException ex)
            {
                errors.Add(new LexiconError(file, 0, "cannot read: " + ex.Message));
                continue;
            }

            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            hash.AppendData(bytes);
            var text = Encoding.UTF8.GetString(bytes);
            var before = entries.Count + allow.Count;
            if (file.EndsWith(".allow.txt", StringComparison.OrdinalIgnoreCase))
            {
                ParseAllow(file, text, allow, errors);
            }
            else
            {
                ParseLexicon(file, text, entries, errors);
            }

            counts[file] = counts.GetValueOrDefault(file) + entries.Count + allow.Count - before;
        }

        if (errors.Count > 0)
        {
            throw new LexiconLoadException(errors);
        }

        var version = "lex-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        return new LexiconSet(entries, allow, files, version, counts);
    }

    internal static void ParseLexicon(string file, string text, List<LexiconEntry> entries, List<LexiconError> errors)
    {
        var lineNo = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.IsWhiteSpace() || line.TrimStart()[0] == '#')
            {
                continue;
            }

            var cols = line.ToString().Split('\t');
            if (cols.Length is < 4 or > 5)
            {
                errors.Add(new LexiconError(file, lineNo, $"expected 4 or 5 tab-separated columns (term, category, sub-label, severity[, flags]), found {cols.Length}"));
                continue;
            }

            var term = cols[0].Trim();
            if (term.Length == 0 || CharFolder.FoldString(term).Length == 0)
            {
                errors.Add(new LexiconError(file, lineNo, "term is empty after normalisation (only spaces, punctuation or symbols)"));
                continue;
            }

            if (!int.TryParse(cols[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var category)
                || !ProhibitedCategories.Default.IsKnown(category))
            {
                errors.Add(new LexiconError(file, lineNo, $"category '{cols[1].Trim()}' is not a clause-1.3 code 1-9"));
                continue;
            }

            var sub = cols[2].Trim();
            if (sub is "-" or "")
            {
                sub = null;
            }
            else if (!IsSlug(sub))
            {
                errors.Add(new LexiconError(file, lineNo, $"sub-label '{sub}' must be lower-case letters, digits and '-' (or '-' for none)"));
                continue;
            }

            var severity = cols[3].Trim().ToLowerInvariant() switch
            {
                "1" or "low" => 1,
                "2" or "medium" => 2,
                "3" or "high" => 3,
                _ => 0,
            };
            if (severity == 0)
            {
                errors.Add(new LexiconError(file, lineNo, $"severity '{cols[3].Trim()}' must be 1-3 or low/medium/high"));
                continue;
            }

            var flags = TermFlags.None;
            var badFlag = (string?)null;
            if (cols.Length == 5)
            {
                foreach (var flag in cols[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    switch (flag.ToLowerInvariant())
                    {
                        case "latin-word": flags |= TermFlags.LatinWord; break;
                        case "pinyin": flags |= TermFlags.Pinyin; break;
                        case "substring": flags |= TermFlags.Substring; break;
                        default: badFlag = flag; break;
                    }
                }
            }

            if (badFlag is not null)
            {
                errors.Add(new LexiconError(file, lineNo, $"unknown flag '{badFlag}' (known: latin-word, substring, pinyin)"));
                continue;
            }

            entries.Add(new LexiconEntry(term, category, sub, severity, flags, Path.GetFileName(file), lineNo));
        }
    }

    internal static void ParseAllow(string file, string text, List<string> allow, List<LexiconError> errors)
    {
        var lineNo = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNo++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            if (CharFolder.FoldString(line).Length == 0)
            {
                errors.Add(new LexiconError(file, lineNo, "allowed phrase is empty after normalisation"));
                continue;
            }

            allow.Add(line.ToString());
        }
    }

    private static bool IsSlug(string s)
    {
        foreach (var c in s)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
