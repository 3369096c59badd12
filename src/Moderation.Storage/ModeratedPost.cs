using Moderation.Core.Decisions;
using Moderation.Core.Posts;

namespace Moderation.Storage;

/// <summary>Everything one decision writes: the record, the decision, and its tamper-evident snapshot.</summary>
public sealed record ModeratedPost(
    PostRecord Record,
    ModerationDecision Decision,
    string EvidenceJson,
    string EvidenceSha256,
    DateTimeOffset ReportDueAt);

/// <summary>
/// What the store holds for a post after a save: the decision that counts (a redelivery gets the
/// stored one back, not a new one) and whether this save created it.
/// </summary>
public sealed record SaveOutcome(ModeratedPost Stored, bool Inserted);
