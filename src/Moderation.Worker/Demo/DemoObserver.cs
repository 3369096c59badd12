using System.Threading.Channels;
using MassTransit;
using Moderation.Contracts;

namespace Moderation.Worker.Demo;

/// <summary>What the demo prints: every decision the worker emits, and every post it rejects.</summary>
public sealed class DemoObserver : IConsumer<ContentModerated>, IConsumer<Fault<ContentPublished>>
{
    private readonly ChannelWriter<object> _out;

    public DemoObserver(Channel<object> channel) => _out = channel.Writer;

    public Task Consume(ConsumeContext<ContentModerated> context) => _out.WriteAsync(context.Message, context.CancellationToken).AsTask();

    public Task Consume(ConsumeContext<Fault<ContentPublished>> context) => _out.WriteAsync(context.Message, context.CancellationToken).AsTask();
}
