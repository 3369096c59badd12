using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Posts;
using Moderation.Storage.Compliance;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline.Resilience;

namespace Moderation.Pipeline.Consumers;

/// <summary>
/// The platform's confirmation that a takedown was carried out, recorded against the decision; the time it took is the
/// time-to-takedown metric (only for takedowns this confirmation completed, so a redelivery does not count twice).
/// </summary>
public sealed class TakedownCompletedConsumer(IComplianceStore store, DependencyCircuit circuit, TimeProvider time, WorkerMetrics metrics) : IConsumer<TakedownCompleted>
{
    public async Task Consume(ConsumeContext<TakedownCompleted> context)
    {
        var m = context.Message;
        if (string.IsNullOrWhiteSpace(m.Platform) || string.IsNullOrWhiteSpace(m.ContentId))
            throw new PostRejectedException("TakedownCompleted needs platform and contentId.");
        TakedownCompletion? completion = null;
        await circuit.RunAsync(async _ => completion = await store.CompleteTakedownAsync(m.Platform, m.ContentId, m.Version, m.TakedownId, m.CompletedAt ?? time.GetUtcNow(), context.CancellationToken), context.CancellationToken);
        foreach (var took in completion?.NewlyCompleted ?? [])
            metrics.TakedownCompleted(took);
        if (completion?.Found != true)
            throw new PostRejectedException($"No takedown was requested for {m.Platform}/{m.ContentId}" + (m.Version is { } v ? $" version {v}" : "") + ".");
    }
}

public sealed class TakedownCompletedConsumerDefinition : ConsumerDefinition<TakedownCompletedConsumer>
{
    public TakedownCompletedConsumerDefinition(Microsoft.Extensions.Options.IOptions<Messaging.BusOptions> options) =>
        EndpointName = options.Value.TakedownCompletedQueue;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TakedownCompletedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        Messaging.PlainJsonEndpoint.Configure(endpointConfigurator, null, 100, 1000, 5000);
    }
}
