using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderation.Banks;

namespace Moderation.Pipeline.Banks;

/// <summary>Ready once the first bank load is in force; says which version and how many entries, or why not.</summary>
public sealed class BanksHealthCheck(BankSync sync, BankIndexProvider provider) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (index, sequence) = provider.Snapshot;
        if (!sync.IsReady)
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                $"content banks loading{(sync.LastError is { } e ? $" (last attempt: {e})" : "")}"));
        var refused = sync.Refused > 0 ? $", {sync.Refused} entries refused by the matcher" : "";
        var error = sync.LastError is { } err ? $"; the last refresh failed, this version stays in force: {err}" : "";
        return Task.FromResult(HealthCheckResult.Healthy($"content banks version {sequence}, {index.Count} entries{refused}{error}"));
    }
}
