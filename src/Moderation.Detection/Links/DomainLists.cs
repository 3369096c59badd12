using System.Text;

namespace Moderation.Detection.Links;

/// <summary>One operator domain list: which file, and what a listed domain is evidence of.</summary>
public sealed class DomainListOptions
{
    /// <summary>A text file, one domain per line ('#' comments; "0.0.0.0 domain" hosts lines accepted).</summary>
    public string Path { get; set; } = "";

    /// <summary>Clause-1.3 category a listed domain is evidence of (7 for gambling or porn, 9 for scams, drugs, phishing).</summary>
    public int Category { get; set; }

    /// <summary>Sub-label on the hit (gambling, porn, fraud, drugs, phishing …).</summary>
    public string SubLabel { get; set; } = "";

    /// <summary>Severity of a listed domain on its own (2 = quarantine under the default policy); with a lure of the same category it is 3.</summary>
    public int Severity { get; set; } = 2;
}

/// <summary>
/// Every configured domain list in one lookup. A link matches a list when its host or any parent domain
/// is listed (a.b.example.com matches a list holding example.com). Immutable; hot reload builds a new one.
/// </summary>
internal sealed class DomainLists
{
    private readonly Dictionary<string, int> _lists; // domain -> bit mask of the lists holding it

    private DomainLists(IReadOnlyList<DomainListOptions> options, Dictionary<string, int> lists, int count)
    {
        Options = options;
        _lists = lists;
        Count = count;
    }

    public static DomainLists Empty { get; } = new([], [], 0);

    public IReadOnlyList<DomainListOptions> Options { get; }

    /// <summary>Distinct domains across all lists.</summary>
    public int Count { get; }

    /// <summary>
    /// Reads every list; appends each bad line to <paramref name="errors"/> as file:line and feeds the
    /// list's settings and bytes to <paramref name="hash"/>, so the detector version changes with the data.
    /// </summary>
    public static DomainLists Load(IReadOnlyList<DomainListOptions> options, List<Patterns.RuleError> errors, System.Security.Cryptography.IncrementalHash hash)
    {
        if (options.Count > 31)
        {
            errors.Add(new Patterns.RuleError("Moderation:Detection:DomainLists", 0, "at most 31 domain lists"));
            return Empty;
        }

        var lists = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var l = 0; l < options.Count; l++)
        {
            var o = options[l];
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(o.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new Patterns.RuleError(o.Path, 0, "cannot read domain list: " + ex.Message));
                continue;
            }

            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"domains {System.IO.Path.GetFileName(o.Path)} {o.Category} {o.SubLabel} {o.Severity}\n")));
            hash.AppendData(bytes);
            var lineNo = 0;
            foreach (var raw in Encoding.UTF8.GetString(bytes).AsSpan().EnumerateLines())
            {
                lineNo++;
                var line = raw.Trim();
                var hashAt = line.IndexOf('#');
                if (hashAt >= 0)
                {
                    line = line[..hashAt].TrimEnd();
                }

                if (line.IsEmpty)
                {
                    continue;
                }

                // hosts-file lines ("0.0.0.0 example.com") are common in published block lists
                var space = line.LastIndexOfAny(' ', '\t');
                if (space >= 0 && line[..space].Trim() is var prefix && (prefix.SequenceEqual("0.0.0.0") || prefix.SequenceEqual("127.0.0.1")))
                {
                    line = line[(space + 1)..];
                }

                var domain = line.ToString().ToLowerInvariant().TrimEnd('.');
                if (domain.StartsWith("*.", StringComparison.Ordinal))
                {
                    domain = domain[2..];
                }

                if (!HostName.IsValid(domain))
                {
                    errors.Add(new Patterns.RuleError(o.Path, lineNo, $"'{line}' is not a domain name (letters, digits, '-', '_' in dot-separated labels)"));
                    continue;
                }

                lists[domain] = lists.GetValueOrDefault(domain) | (1 << l);
            }
        }

        return new DomainLists(options, lists, lists.Count);
    }

    /// <summary>Each list that holds the host or one of its parents, with the listed domain that matched.</summary>
    public IEnumerable<(DomainListOptions List, string Listed)> Lookup(string host)
    {
        if (_lists.Count == 0)
        {
            yield break;
        }

        var seen = 0;
        foreach (var candidate in HostName.SelfAndParents(host))
        {
            if (_lists.TryGetValue(candidate, out var mask))
            {
                for (var l = 0; l < Options.Count; l++)
                {
                    if ((mask & (1 << l)) != 0 && (seen & (1 << l)) == 0)
                    {
                        seen |= 1 << l;
                        yield return (Options[l], candidate);
                    }
                }
            }
        }
    }
}
