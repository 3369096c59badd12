namespace Moderation.Storage.Review;

/// <summary>
/// The events of moderators' decisions, written in each decision's transaction (by <see cref="IReviewCommands"/>)
/// and marked once published, so none is lost between commit and publish.
/// </summary>
public interface IReviewOutbox
{
    Task MarkPublishedAsync(IReadOnlyList<Guid> messageIds, CancellationToken ct);

    /// <summary>
    /// Hands each unpublished message created at or before <paramref name="createdBefore"/> (oldest first, at most
    /// <paramref name="limit"/>) to <paramref name="publish"/> and marks it, holding the rows meanwhile so that a
    /// second sweeper skips them. A message <paramref name="publish"/> declines (false) stays unmarked for an
    /// operator. Returns how many were published.
    /// </summary>
    Task<int> SweepAsync(DateTimeOffset createdBefore, int limit, Func<OutboxMessage, CancellationToken, Task<bool>> publish, CancellationToken ct);
}
