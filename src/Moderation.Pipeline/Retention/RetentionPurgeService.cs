using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Storage;

namespace Moderation.Pipeline.Retention;

/// <summary>
/// Deletes records whose retention date has passed (never those under legal hold). The retention date
/// is fixed when a record is written, from Moderation:Intake:RetentionDays (at least 60).
/// </summary>
public sealed class RetentionPurgeService(IModerationStore store, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionPurgeService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                var purged = await store.PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
                if (purged > 0)
                    log.LogInformation("Retention: purged {Count} expired records", purged);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Retention purge failed; will retry next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
