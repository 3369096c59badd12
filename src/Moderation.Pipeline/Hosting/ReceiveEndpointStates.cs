using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Options;
using Moderation.Pipeline.Messaging;
using Moderation.Pipeline.Observability;

namespace Moderation.Pipeline.Hosting;

/// <summary>
/// What each receive endpoint is doing, as MassTransit reports it (Ready means the broker confirmed our consumer,
/// basic.consume-ok), compared with what should run: the intake queue and the takedown-completed queue. Read by the
/// readiness check, the watchdog and the <c>moderation.endpoint.consuming</c> gauge.
/// </summary>
public sealed class ReceiveEndpointStates : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, EndpointState> _states = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ReceiveEndpointStates(IOptions<BusOptions> options, TimeProvider time, WorkerMetrics metrics)
    {
        _time = time;
        Expected = [options.Value.IntakeQueue, options.Value.TakedownCompletedQueue];
        var started = time.GetUtcNow();
        foreach (var queue in Expected)
            _states[queue] = new EndpointState(queue, "starting", false, started, null);
        metrics.ObserveEndpoints(() => Current.Select(s => (s.Queue, s.Consuming)));
    }

    public sealed record EndpointState(string Queue, string State, bool Consuming, DateTimeOffset Since, string? Reason);

    /// <summary>The queues this worker must consume from.</summary>
    public IReadOnlyList<string> Expected { get; }

    public IReadOnlyList<EndpointState> Current => Expected.Select(q => _states[q]).ToList();

    /// <summary>The queue name from an input address (rabbitmq://host/vhost/queue?args, loopback://localhost/queue).</summary>
    public static string QueueOf(Uri address) => address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    private Task Set(ReceiveEndpointEvent e, string state, bool consuming, string? reason = null)
    {
        var queue = QueueOf(e.InputAddress);
        if (_states.TryGetValue(queue, out var previous) && (previous.State != state || previous.Reason != reason))
            _states[queue] = new EndpointState(queue, state, consuming, _time.GetUtcNow(), reason);
        else if (previous is null)
            _states[queue] = new EndpointState(queue, state, consuming, _time.GetUtcNow(), reason);
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready) => Set(ready, ready.IsStarted ? "consuming" : "ready (not started)", ready.IsStarted);

    public Task Stopping(ReceiveEndpointStopping stopping) => Set(stopping, "stopping", false);

    public Task Completed(ReceiveEndpointCompleted completed) => Set(completed, "stopped", false);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Set(faulted, "faulted", false, faulted.Exception is { } ex ? Moderation.ServiceDefaults.Startup.DependencyProbeExtensions.Reason(ex) : null);
}
