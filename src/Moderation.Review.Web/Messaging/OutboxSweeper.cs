using Microsoft.Extensions.Options;

namespace Moderation.Review.Messaging;

/// <summary>Re-publishes outbox rows that the request path could not (crash between commit and publish, broker down).</summary>
public sealed class OutboxSweeper(ReviewOutbox outbox, IOptions<ReviewOptions> options, TimeProvider time, ILogger<OutboxSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.OutboxSweepInterval;
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // Leave the request path a head start so the same event is rarely published twice.
                var count = await outbox.SweepAsync(interval * 2, stoppingToken);
                if (count > 0) logger.LogInformation("Outbox sweeper published {Count} review events.", count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Outbox sweep failed; retrying in {Interval}.", interval);
            }
        }
    }
}
