using System.Security.Cryptography;
using System.Text;
using Moderation.Detection.Links;
using Moderation.Detection.Patterns;
using Moderation.Keywords.Normalization;

namespace Moderation.Detection;

/// <summary>
/// Everything the detector has loaded: the compiled pattern lists, the link tables and the domain lists,
/// with one content hash over all of them as <see cref="Version"/> ("det-…"). Immutable; hot reload
/// loads a complete new set off to the side and swaps one reference.
/// </summary>
public sealed class DetectorRules
{
    /// <summary>
    /// Bumped whenever the detector's code changes what the same files detect (contact shapes, link
    /// shapes, how evidence combines). Part of <see cref="Version"/>, beside the folding version.
    /// </summary>
    public const string RuleVersion = "det-rules-1";

    private DetectorRules(PatternSet patterns, DomainLists domains, IReadOnlyDictionary<string, string> linkSuffixes, IReadOnlyList<string> files, string version)
    {
        Patterns = patterns;
        Domains = domains;
        LinkSuffixes = linkSuffixes;
        Files = files;
        Version = version;
    }

    public string Version { get; }

    /// <summary>Pattern files loaded, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<PatternEntry> Entries => Patterns.Entries;

    /// <summary>Distinct domains across the domain lists.</summary>
    public int DomainCount => Domains.Count;

    internal PatternSet Patterns { get; }

    internal DomainLists Domains { get; }

    /// <summary>Host suffix → shortener or risky-tld.</summary>
    internal IReadOnlyDictionary<string, string> LinkSuffixes { get; }

    /// <summary>Loads pattern files and domain lists; throws <see cref="RuleLoadException"/> naming every bad line.</summary>
    public static DetectorRules Load(IReadOnlyList<string> patternPaths, IReadOnlyList<DomainListOptions> domainLists)
    {
        var errors = new List<RuleError>();
        var files = PatternLoader.Files(patternPaths, errors);
        var entries = new List<PatternEntry>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(RuleVersion + "\n" + CharFolder.Version + "\n"));
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new RuleError(file, 0, "cannot read: " + ex.Message));
                continue;
            }

            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            hash.AppendData(bytes);
            PatternLoader.Parse(file, Encoding.UTF8.GetString(bytes), entries, errors);
        }

        foreach (var list in domainLists)
        {
            if (!Core.Taxonomy.ProhibitedCategories.Default.IsKnown(list.Category) || list.Severity is < 1 or > 3 || string.IsNullOrWhiteSpace(list.SubLabel))
            {
                errors.Add(new RuleError(list.Path, 0, $"domain list needs a category 1-9, a sub-label and severity 1-3 (got {list.Category}, '{list.SubLabel}', {list.Severity})"));
            }
        }

        var domains = errors.Count == 0 ? DomainLists.Load(domainLists, errors, hash) : DomainLists.Empty;
        if (errors.Count > 0)
        {
            throw new RuleLoadException(errors);
        }

        var suffixes = entries.Where(e => e.Role == PatternRole.Link)
            .GroupBy(e => e.Pattern, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().SubLabel, StringComparer.Ordinal);
        var version = "det-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        return new DetectorRules(new PatternSet(entries), domains, suffixes, files, version);
    }
}
