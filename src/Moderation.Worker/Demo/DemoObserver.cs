using System.Threading.Channels;
using MassTransit;
using Moderation.Contracts;

namespace Moderation.Worker.Demo;

/// <summary>What the worker emitted for one published post, tied to that post by its message id.</summary>
public sealed record DemoResult(Guid? PostMessageId, object Message);

/// <summary>
/// What the demo prints: every decision the worker emits, and every post it rejects. Events published
/// while a post is consumed carry its conversation id, which the demo sets to the post's message id.
/// </summary>
public sealed class DemoObserver : IConsumer<ContentModerated>, IConsumer<Fault<ContentPublished>>
{
    private readonly ChannelWriter<object> _out;

    public DemoObserver(Channel<object> channel) => _out = channel.Writer;

    public Task Consume(ConsumeContext<ContentModerated> context) =>
        _out.WriteAsync(new DemoResult(context.ConversationId, context.Message), context.CancellationToken).AsTask();

    public Task Consume(ConsumeContext<Fault<ContentPublished>> context) =>
        _out.WriteAsync(new DemoResult(context.Message.FaultedMessageId ?? context.ConversationId, context.Message), context.CancellationToken).AsTask();
}
