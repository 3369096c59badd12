namespace Moderation.Storage.Review;

/// <summary>What moderators read: the open queue, one item with its evidence, and the decided items for training.</summary>
public interface IReviewQueue
{
    /// <summary>Open items, filtered and keyset-paged; the filters and sorts stay index scans at 100k open items.</summary>
    Task<QueuePage> ListAsync(QueueQuery q, CancellationToken ct);

    /// <summary>One item (open or decided) with its text, evidence, versions, record and the author's latest non-pass decisions.</summary>
    Task<ReviewItem?> GetAsync(Guid decisionId, CancellationToken ct);

    /// <summary>Confirmed and released items decided in [from, to), oldest first, read from the database row by row as the caller consumes them.</summary>
    IAsyncEnumerable<DecidedItem> DecidedAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct);

    /// <summary>Size and oldest item of each open status, for the metrics (served by the open-by-age index).</summary>
    Task<IReadOnlyList<OpenQueueStats>> OpenStatsAsync(CancellationToken ct);
}
