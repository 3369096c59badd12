using MassTransit;
using MassTransit.Middleware;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline.Resilience;

namespace Moderation.Pipeline.Messaging;

/// <summary>
/// What every endpoint that platforms write to (in any language) shares: plain JSON in, rejections moved to
/// "{queue}_error" with a readable reason header, and three ways to fail (see <see cref="FaultKinds"/>):
/// the post's own fault goes to the error queue at once; an infrastructure fault never leaves the consumer
/// (<see cref="DependencyCircuit"/> holds the post until the dependency is back, or returns it to the queue);
/// anything else (a bug) is retried at the given intervals, then goes to the error queue, from where
/// `moderation requeue-errors` moves it back once fixed.
/// </summary>
public static class PlainJsonEndpoint
{
    /// <param name="metrics">Given for the intake endpoint: every post moved to its error queue is counted as rejected.</param>
    public static void Configure(IReceiveEndpointConfigurator endpoint, WorkerMetrics? metrics, params int[] retryIntervalsMs)
    {
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpoint.ConfigureError(x =>
        {
            x.UseFilter(new RejectReasonFilter(metrics));
            x.UseFilter(new GenerateFaultFilter());
            x.UseFilter(new ErrorTransportFilter());
        });
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(ex => ex is not OperationCanceledException && FaultKinds.Classify(ex) == FaultKind.Unknown);
            r.Intervals(retryIntervalsMs);
        });
    }
}
