using MassTransit;
using Moderation.Contracts;

namespace Moderation.Cli.Pipeline;

/// <summary>The baseline: a MassTransit consumer of the same raw JSON that does nothing but note the arrival.</summary>
internal sealed class BareConsumer(LatencyRecorder recorder) : IConsumer<ContentPublished>
{
    public Task Consume(ConsumeContext<ContentPublished> context)
    {
        recorder.Arrived(BenchPosts.IndexOf(context.Message.ContentId));
        return Task.CompletedTask;
    }
}
