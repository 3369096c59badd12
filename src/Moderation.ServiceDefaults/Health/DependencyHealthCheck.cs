using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderation.ServiceDefaults.Startup;

namespace Moderation.ServiceDefaults.Health;

/// <summary>A readiness check over the same probe start-up waits on, so both name the dependency the same way.</summary>
public sealed class DependencyHealthCheck(IDependencyProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await probe.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{probe.Name} at {probe.Location} answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"{probe.Describe()} is not reachable: {DependencyProbeExtensions.Reason(ex)}");
        }
    }
}
