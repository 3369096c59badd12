using MassTransit;
using Moderation.Contracts;

namespace Moderation.Cli.Pipeline;

/// <summary>
/// A second reference point: consume and publish one small event per post, with no storage and no
/// classification. The gap between this and the bare consumer is what the broker alone charges for
/// the events every decision must emit.
/// </summary>
internal sealed class EchoConsumer : IConsumer<ContentPublished>
{
    public Task Consume(ConsumeContext<ContentPublished> context) =>
        context.Publish(new BenchEcho(context.Message.Platform ?? "", context.Message.ContentId ?? ""));
}

/// <summary>The event the echo consumer publishes.</summary>
public sealed record BenchEcho(string Platform, string ContentId);
