using System.Globalization;
using Moderation.Core.Taxonomy;
using Moderation.Keywords.Normalization;

namespace Moderation.Detection.Patterns;

/// <summary>
/// Reads the detector's pattern files. Format (UTF-8, one pattern per line, '#' starts a comment):
/// <c>pattern TAB role TAB sub-label TAB weight [TAB group]</c>, where role is a clause-1.3 code 1-9 (a
/// lure), <c>contact</c>, <c>context</c> or <c>link</c>; weight is 1-3 (or weak/strong/certain) for lures
/// and <c>-</c> (or empty) otherwise; group (lures only, optional) names patterns that are one kind of
/// evidence and count once. A pattern is text (folded like lexicon terms, separators ignored)
/// with optional <c>{num}</c> tokens for a number (digits, Chinese numerals, 十百千万, k/w).
/// </summary>
public static class PatternLoader
{
    public const string FilePattern = "*.tsv";

    public static readonly IReadOnlySet<string> ContactChannels = new HashSet<string>(StringComparer.Ordinal)
    {
        "wechat", "qq", "telegram", "phone", "email", "other-app", "invite-code", "invite",
    };

    /// <summary>What a <c>link</c> line names a host as: a shortener, a high-risk TLD, or the site of a contact channel (t.me → telegram).</summary>
    public static readonly IReadOnlySet<string> LinkKinds = new HashSet<string>(StringComparer.Ordinal) { "shortener", "risky-tld", "telegram", "wechat", "qq" };

    /// <summary>The files a set of directories (or single files) holds, in load order.</summary>
    public static List<string> Files(IEnumerable<string> paths, List<RuleError> errors)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, FilePattern).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                errors.Add(new RuleError(path, 0, "no such pattern file or directory"));
            }
        }

        return files;
    }

    public static void Parse(string file, string text, List<PatternEntry> entries, List<RuleError> errors)
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
            if (cols.Length is < 3 or > 5)
            {
                errors.Add(new RuleError(file, lineNo, $"expected 3 to 5 tab-separated columns (pattern, role, sub-label[, weight[, group]]), found {cols.Length}"));
                continue;
            }

            var pattern = cols[0].Trim();
            var roleText = cols[1].Trim();
            var sub = cols[2].Trim();
            var weightText = cols.Length >= 4 ? cols[3].Trim() : "";
            var group = cols.Length == 5 && cols[4].Trim() is { Length: > 0 } g && g != "-" ? g : null;
            if (group is not null && !IsSlug(group))
            {
                errors.Add(new RuleError(file, lineNo, $"group '{group}' must be lower-case letters, digits and '-'"));
                continue;
            }
            if (!IsSlug(sub))
            {
                errors.Add(new RuleError(file, lineNo, $"sub-label '{sub}' must be lower-case letters, digits and '-'"));
                continue;
            }

            PatternRole role;
            var category = 0;
            var weight = 0;
            var booster = false;
            if (int.TryParse(roleText, NumberStyles.None, CultureInfo.InvariantCulture, out category))
            {
                if (!ProhibitedCategories.Default.IsKnown(category))
                {
                    errors.Add(new RuleError(file, lineNo, $"category '{roleText}' is not a clause-1.3 code 1-9"));
                    continue;
                }

                role = PatternRole.Lure;
                booster = weightText.Equals("boost", StringComparison.OrdinalIgnoreCase);
                weight = weightText.ToUpperInvariant() switch
                {
                    "1" or "WEAK" or "BOOST" => 1,
                    "2" or "STRONG" => 2,
                    "3" or "CERTAIN" => 3,
                    _ => 0,
                };
                if (weight == 0)
                {
                    errors.Add(new RuleError(file, lineNo, $"a lure needs weight 1-3, weak/strong/certain or boost, got '{weightText}'"));
                    continue;
                }
            }
            else
            {
                switch (roleText)
                {
                    case "contact" when ContactChannels.Contains(sub):
                        role = PatternRole.Contact;
                        break;
                    case "contact":
                        errors.Add(new RuleError(file, lineNo, $"contact sub-label '{sub}' is not one of {string.Join(", ", ContactChannels.Order(StringComparer.Ordinal))}"));
                        continue;
                    case "context" when sub is ContextCues.Counter or ContextCues.Warning:
                        role = PatternRole.Context;
                        break;
                    case "context":
                        errors.Add(new RuleError(file, lineNo, $"context sub-label must be '{ContextCues.Counter}' or '{ContextCues.Warning}', got '{sub}'"));
                        continue;
                    case "link" when LinkKinds.Contains(sub):
                        role = PatternRole.Link;
                        break;
                    case "link":
                        errors.Add(new RuleError(file, lineNo, $"link sub-label must be one of {string.Join(", ", LinkKinds.Order(StringComparer.Ordinal))}, got '{sub}'"));
                        continue;
                    default:
                        errors.Add(new RuleError(file, lineNo, $"role '{roleText}' must be a category code 1-9, 'contact', 'context' or 'link'"));
                        continue;
                }

                if (weightText is not ("" or "-") || group is not null)
                {
                    errors.Add(new RuleError(file, lineNo, $"only lures have a weight and a group; leave the fourth and fifth columns empty or '-', got '{weightText}'"));
                    continue;
                }
            }

            if (role == PatternRole.Link)
            {
                var host = pattern.TrimStart('.').ToLowerInvariant();
                if (!Links.HostName.IsValid(host, requireDot: sub == "shortener"))
                {
                    errors.Add(new RuleError(file, lineNo, $"'{pattern}' is not a host name or suffix (letters, digits, '-', '.')"));
                    continue;
                }

                entries.Add(new PatternEntry(host, role, 0, sub, 0, Path.GetFileName(file), lineNo));
                continue;
            }

            var emoji = role == PatternRole.Lure && EmojiPattern.Is(pattern);
            if (!emoji && PatternSyntax.Check(pattern) is { } problem)
            {
                errors.Add(new RuleError(file, lineNo, problem));
                continue;
            }

            entries.Add(new PatternEntry(emoji ? EmojiPattern.Key(pattern) : pattern, role, category, sub, weight, Path.GetFileName(file), lineNo, group, booster) { Emoji = emoji });
        }
    }

    private static bool IsSlug(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

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

/// <summary>The pattern mini-language: folded literal pieces and <c>{num}</c> tokens.</summary>
internal static class PatternSyntax
{
    public const string NumberToken = "{num}";

    /// <summary>Characters a <c>{num}</c> token accepts, after folding (Chinese numerals are already digits).</summary>
    public const string NumberChars = "0123456789十百千万亿拾佰仟kw几多数两余";

    /// <summary>Null when the pattern is well formed, else why not.</summary>
    public static string? Check(string pattern)
    {
        var pieces = Split(pattern);
        if (pieces is null)
        {
            return $"'{pattern}' has a '{{' or '}}' that is not part of {NumberToken}";
        }

        if (pieces.Count == 0 || pieces[0] is null)
        {
            return $"'{pattern}' must start with text, not {NumberToken}";
        }

        for (var i = 1; i < pieces.Count; i++)
        {
            if (pieces[i] is null && pieces[i - 1] is null)
            {
                return $"'{pattern}' has two {NumberToken} tokens in a row";
            }
        }

        return null;
    }

    /// <summary>Folded literal pieces, with null for each {num}; null if the braces are malformed.</summary>
    public static List<string?>? Split(string pattern)
    {
        var pieces = new List<string?>();
        var rest = pattern.AsSpan();
        while (rest.Length > 0)
        {
            var open = rest.IndexOf('{');
            var literal = open < 0 ? rest : rest[..open];
            if (literal.Contains('}'))
            {
                return null;
            }

            var folded = CharFolder.FoldString(literal);
            if (folded.Length > 0)
            {
                pieces.Add(folded);
            }

            if (open < 0)
            {
                break;
            }

            if (!rest[open..].StartsWith(NumberToken, StringComparison.Ordinal))
            {
                return null;
            }

            pieces.Add(null);
            rest = rest[(open + NumberToken.Length)..];
        }

        return pieces;
    }
}
