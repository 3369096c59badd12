using Moderation.Contracts;
using Moderation.Detection.Contacts;

namespace Moderation.Detection.Scoring;

/// <summary>A lure pattern found in a post: which line of which file, and where.</summary>
public sealed record LureFinding(string Pattern, int Category, string SubLabel, int Weight, string File, int Line, int Start, int End, string Matched, string EvidenceKey, bool Booster = false);

/// <summary>
/// What the detector saw in one post: the raw findings (for explanations, features and tests) and the
/// hits it reports, each with the severity the combined evidence earned for its category.
/// </summary>
public sealed record DetectionResult(
    IReadOnlyList<KeywordHit> Hits,
    IReadOnlyList<ContactFinding> Contacts,
    IReadOnlyList<LureFinding> Lures,
    IReadOnlyList<(int Start, int End, string Phrase)> CounterCues,
    IReadOnlyDictionary<int, int> SeverityByCategory)
{
    /// <summary>The strongest contact found (none, an invitation, an address).</summary>
    public ContactStrength Contact => Contacts.Count == 0 ? ContactStrength.None : Contacts.Max(c => c.Strength);
}

/// <summary>The detector's findings as model features: what kinds of evidence a post holds, not which words.</summary>
public static class DetectionFeatures
{
    /// <summary>
    /// One token per kind of evidence: each category's severity, each lure family and its level of
    /// evidence, the strongest contact and each channel kind, listed-domain families, and counter-context.
    /// A model weighs these beside the character n-grams, so it can learn, for example, that a post with a
    /// phone number and a weak income word is more likely an offer than either alone.
    /// </summary>
    public static IReadOnlyList<string> Tokens(DetectionResult result)
    {
        var tokens = new List<string>();
        foreach (var (category, severity) in result.SeverityByCategory)
        {
            tokens.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sev:{category}:{severity}"));
        }

        foreach (var family in result.Lures.Select(l => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lure:{l.Category}/{l.SubLabel}")).Distinct(StringComparer.Ordinal))
        {
            tokens.Add(family);
        }

        if (result.Contacts.Count > 0)
        {
            tokens.Add("contact:" + result.Contact.ToString().ToUpperInvariant());
            foreach (var channel in result.Contacts.Select(c => "channel:" + c.Channel).Distinct(StringComparer.Ordinal))
            {
                tokens.Add(channel);
            }
        }

        foreach (var domain in result.Hits.Where(h => h.Kind == Contracts.HitKinds.Domain).Select(h => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"domain:{h.Category}/{h.SubLabel}")).Distinct(StringComparer.Ordinal))
        {
            tokens.Add(domain);
        }

        if (result.CounterCues.Count > 0)
        {
            tokens.Add("counter");
        }

        return tokens;
    }
}
