using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderation.Pipeline.Hosting;
using Moderation.Pipeline.Resilience;

namespace Moderation.Pipeline.Health;

/// <summary>Ready when every expected receive endpoint is consuming and intake is not paused by an outage.</summary>
public sealed class ReceiveEndpointsHealthCheck(ReceiveEndpointStates states, DependencyCircuit circuit) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = states.Current;
        var described = string.Join("; ", current.Select(s => $"{s.Queue}: {s.State} since {s.Since:HH:mm:ss}{(s.Reason is null ? "" : $" ({s.Reason})")}"));
        if (current.Any(s => !s.Consuming))
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, described));
        if (circuit.Describe() is { } paused)
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"intake paused: {paused}"));
        return Task.FromResult(HealthCheckResult.Healthy(described));
    }
}
