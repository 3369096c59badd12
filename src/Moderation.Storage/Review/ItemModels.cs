using Moderation.Contracts;

namespace Moderation.Storage.Review;

public sealed record RecordMetadata(
    string AuthorId, string SourceIp, int? SourcePort, DateTimeOffset PublishedAt, DateTimeOffset? EditedAt,
    DateTimeOffset ReceivedAt, IReadOnlyList<string> Urls, string ContentSha256);

public sealed record Versions(string Lexicon, string Model, string Policy);

public sealed record ReviewState(
    string Status, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionReason, string? EscalatedBy, DateTimeOffset? EscalatedAt, string? EscalationReason, IReadOnlyList<ReviewNote> Notes);

/// <summary>
/// One note on an item, oldest first. <see cref="Author"/> is who was signed in when it was written, never anything
/// read from <see cref="Text"/>. <see cref="Kind"/>: note (written on its own), decision (given with a decision), or
/// imported (text of the old notes column that no audit row accounted for; its author is unknown and left empty).
/// </summary>
public sealed record ReviewNote(long NoteId, string Author, DateTimeOffset WrittenAt, string Text, string Kind);

public static class NoteKinds
{
    public const string Note = "note";
    public const string Decision = "decision";
    public const string Imported = "imported";
}

public sealed record PreviousDecision(
    Guid DecisionId, string ContentId, long Version, string Action, IReadOnlyList<int> Categories, DateTimeOffset DecidedAt,
    string? ReviewStatus, string? ReviewedBy, DateTimeOffset? ReviewedAt);

/// <summary>
/// One item as a moderator sees it. <see cref="Text"/> is exactly what the classifiers saw (title, "\n",
/// body), and every hit's Start/End are UTF-16 offsets into it, so the page highlights with plain slicing.
/// </summary>
public sealed record ReviewItem(
    Guid DecisionId, string Platform, string ContentId, long Version, string ServiceType,
    string? Title, string Body, string Text,
    IReadOnlyList<KeywordHit> Hits, IReadOnlyList<CategoryScore> Scores, IReadOnlyList<string> Reasons,
    IReadOnlyList<int> Categories, IReadOnlyList<string> SubLabels, int MaxSeverity, double TopScore,
    Versions Versions, DateTimeOffset ClassifiedAt, DateTimeOffset QueuedAt, long AgeSeconds,
    ReviewState Review, RecordMetadata Record, IReadOnlyList<PreviousDecision> PreviousDecisionsOnAuthor);
