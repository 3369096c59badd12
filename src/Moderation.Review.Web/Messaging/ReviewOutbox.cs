using MassTransit;
using Moderation.Core.Events;
using Moderation.Storage.Review;

namespace Moderation.Review.Messaging;

/// <summary>
/// Why an outbox rather than "publish after commit": publishing before the commit could announce a takedown
/// the database then rolls back; publishing after the commit alone loses the event if the process dies (or
/// the broker is down) between the two. So the events are rows written in the decision's own transaction
/// (<see cref="IReviewCommands"/>); right after the commit they are published here and marked, and
/// <see cref="OutboxSweeper"/> re-publishes whatever a crash or a broker outage left unmarked. Delivery is
/// at-least-once; the message ids are deterministic (<c>DeterministicIds.For(decisionId, type)</c>), so
/// consumers can drop a duplicate.
/// </summary>
public sealed class ReviewOutbox(IReviewOutbox store, IBus bus, TimeProvider time, ILogger<ReviewOutbox> logger)
{
    /// <summary>Right after the commit. A failure here is logged, not thrown: the decision stands and the sweeper retries.</summary>
    public async Task PublishCommittedAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        try
        {
            foreach (var e in events)
                await PublishAsync(e, ct);
            await store.MarkPublishedAsync(events.Select(e => e.MessageId).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Publishing {Count} review events failed; the outbox sweeper will retry.", events.Count);
        }
    }

    /// <summary>Publishes events older than <paramref name="minAge"/> that are still unmarked. Returns how many.</summary>
    public Task<int> SweepAsync(TimeSpan minAge, CancellationToken ct) =>
        store.SweepAsync(time.GetUtcNow() - minAge, 100, async (message, token) =>
        {
            if (message.ToEvent() is not { } e)
            {
                logger.LogError("Outbox message {MessageId} has unknown type {Type}; left for an operator.", message.MessageId, message.MessageType);
                return false;
            }
            await PublishAsync(e, token);
            return true;
        }, ct);

    private Task PublishAsync(OutgoingEvent e, CancellationToken ct) =>
        bus.Publish(e.Message, e.Message.GetType(), ctx => ctx.MessageId = e.MessageId, ct);
}
