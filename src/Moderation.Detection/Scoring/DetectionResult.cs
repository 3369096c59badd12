using Moderation.Contracts;
using Moderation.Detection.Contacts;

namespace Moderation.Detection.Scoring;

/// <summary>A lure pattern found in a post: which line of which file, and where.</summary>
public sealed record LureFinding(string Pattern, int Category, string SubLabel, int Weight, string File, int Line, int Start, int End, string Matched, string EvidenceKey);

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
