namespace Moderation.Storage;

/// <summary>
/// Which records a lawful request or an incident covers: one platform, optionally narrowed to an
/// author, a post, and a publish-time window [From, To).
/// </summary>
public sealed record RecordQuery(string Platform, string? AuthorId = null, string? ContentId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 10_000);

/// <summary>A stored record as produced on request: the snapshot, whether its hash still matches, and whether it is held.</summary>
public sealed record ProducedRecord(ModeratedPost Post, bool EvidenceIntact, bool LegalHold);
