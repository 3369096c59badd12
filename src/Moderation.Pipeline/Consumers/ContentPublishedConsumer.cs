using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Events;
using Moderation.Pipeline.Messaging;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline;

namespace Moderation.Pipeline.Consumers;

/// <summary>Where a post enters. Thin on purpose: everything that decides lives in <see cref="PostModerator"/>.</summary>
public sealed class ContentPublishedConsumer(PostModerator moderator, WorkerMetrics metrics) : IConsumer<ContentPublished>
{
    public async Task Consume(ConsumeContext<ContentPublished> context)
    {
        // A redelivery (the broker's flag) or an in-process retry may follow an attempt that stored the
        // decision and died before its events went out.
        var seenBefore = context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0;
        try
        {
            RawIntakeCheck.ThrowIfMalformed(context.ReceiveContext);
            metrics.Decided(await moderator.ModerateAsync(context.Message, seenBefore, (e, ct) => Publish(context, e, ct), context.CancellationToken));
        }
        catch (Moderation.Core.Posts.PostRejectedException)
        {
            metrics.Rejected();
            throw;
        }
    }

    /// <summary>Where each event leaves, carrying the deterministic message id consumers can deduplicate on.</summary>
    internal static Task Publish(IPublishEndpoint endpoint, OutgoingEvent e, CancellationToken ct) =>
        endpoint.Publish(e.Message, e.Message.GetType(), Pipe.Execute<PublishContext>(p => p.MessageId = e.MessageId), ct);
}
