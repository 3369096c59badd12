using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Events;
using Moderation.Pipeline.Messaging;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline.Resilience;

namespace Moderation.Pipeline.Consumers;

/// <summary>Where a post enters. Thin on purpose: everything that decides lives in <see cref="PostModerator"/>.</summary>
public sealed class ContentPublishedConsumer(PostModerator moderator, WorkerMetrics metrics, DependencyCircuit circuit, TimeProvider time) : IConsumer<ContentPublished>
{
    public async Task Consume(ConsumeContext<ContentPublished> context)
    {
        var arrived = time.GetTimestamp();
        // A redelivery (the broker's flag), an in-process retry, a requeue from the error queue, or another
        // attempt after an outage may follow an attempt that stored the decision and died before its events went out.
        var seenBefore = context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0
            || context.Headers.Get<int>(WireHeaders.RequeueCount) > 0;
        // Read from the raw body, because the deserialiser quietly takes the last of two duplicate keys.
        RawIntakeCheck.ThrowIfMalformed(context.ReceiveContext);
        // An outage (database, broker) is waited out here, the post held unacknowledged: never dead-lettered.
        // A rejection is counted where it is moved to the error queue (RejectReasonFilter).
        await circuit.RunAsync(async attempt => metrics.Decided(await moderator.ModerateAsync(
            context.Message, seenBefore || attempt > 0, (e, ct) => Publish(context, e, ct), context.CancellationToken)), context.CancellationToken);
        metrics.Handled(time.GetElapsedTime(arrived));
    }

    /// <summary>Where each event leaves, carrying the deterministic message id consumers can deduplicate on.</summary>
    internal static Task Publish(IPublishEndpoint endpoint, OutgoingEvent e, CancellationToken ct) =>
        endpoint.Publish(e.Message, e.Message.GetType(), Pipe.Execute<PublishContext>(p => p.MessageId = e.MessageId), ct);
}
