using MassTransit;
using Microsoft.Extensions.Options;
using Moderation.Pipeline.Messaging;

namespace Moderation.Pipeline.Consumers;

/// <summary>
/// The intake endpoint: plain JSON from any language, bounded concurrency, retries for transient
/// faults only. A rejected post (<see cref="PostRejectedException"/>) and a message that cannot be
/// deserialised are never retried: they fault straight to "{queue}_error" with the reason in the
/// MT-Fault-Message header, and the endpoint goes on with the next message.
/// </summary>
public sealed class ContentPublishedConsumerDefinition : ConsumerDefinition<ContentPublishedConsumer>
{
    private readonly BusOptions _options;

    public ContentPublishedConsumerDefinition(IOptions<BusOptions> options)
    {
        _options = options.Value;
        EndpointName = _options.IntakeQueue;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ContentPublishedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        PlainJsonEndpoint.Configure(endpointConfigurator, Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService<Observability.WorkerMetrics>(context), 100, 500, 2000, 5000);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.PrefetchCount;
            if (_options.QuorumQueues)
                rabbit.SetQuorumQueue();
        }
    }
}
