using Moderation.Core.Posts;

namespace Moderation.Storage;

/// <summary>
/// Records, decisions and their follow-ups. Writes are idempotent on (platform, contentId, version):
/// saving a post that is already stored changes nothing and returns what was stored first.
/// </summary>
public interface IModerationStore
{
    /// <summary>Saves a batch in one transaction; the outcomes come back in the order given.</summary>
    Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct);

    /// <summary>Records the platform's confirmation; false when no such takedown is known.</summary>
    Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct);

    Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct);

    Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct);

    /// <summary>
    /// Clause 1.5 / 3: the records a lawful request asks for, each with its evidence hash re-checked, oldest first.
    /// Streamed: each row is read from the database as the caller consumes the previous one.
    /// </summary>
    IAsyncEnumerable<ProducedRecord> ProduceAsync(RecordQuery query, CancellationToken ct);

    /// <summary>Clause 6: freeze the records an incident covers so no retention purge removes them. Returns how many.</summary>
    Task<int> PlaceLegalHoldAsync(RecordQuery query, CancellationToken ct);

    /// <summary>Deletes records past their retention date that are not under legal hold.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct);
}
