using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Events;
using Moderation.Worker.Pipeline;

namespace Moderation.Worker.Consumers;

/// <summary>Where a post enters. Thin on purpose: everything that decides lives in <see cref="PostModerator"/>.</summary>
public sealed class ContentPublishedConsumer(PostModerator moderator) : IConsumer<ContentPublished>
{
    public async Task Consume(ConsumeContext<ContentPublished> context)
    {
        await moderator.ModerateAsync(context.Message, e => Publish(context, e));
    }

    /// <summary>Where each event leaves, carrying the deterministic message id consumers can deduplicate on.</summary>
    internal static Task Publish(IPublishEndpoint endpoint, OutgoingEvent e) =>
        endpoint.Publish(e.Message, e.Message.GetType(), Pipe.Execute<PublishContext>(p => p.MessageId = e.MessageId));
}
