using System.Diagnostics.Metrics;
using Moderation.Storage.Review;

namespace Moderation.Review.Operations;

/// <summary>
/// The review app's meter ("Moderation.Review"): the queue's size and the age of its oldest item per status
/// (refreshed every 15 s by <see cref="ReviewQueueMonitor"/>, so a scrape never queries the database).
/// </summary>
public sealed class ReviewMetrics : IDisposable
{
    public const string MeterName = "Moderation.Review";
    private static readonly string[] Statuses = ["pending", "escalated"];

    private readonly Meter _meter;
    private volatile IReadOnlyDictionary<string, (long Count, double OldestAgeSeconds)> _queue = new Dictionary<string, (long, double)>();

    public ReviewMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("moderation.review.queue.size",
            () => Statuses.Select(s => new Measurement<long>(_queue.TryGetValue(s, out var q) ? q.Count : 0, new KeyValuePair<string, object?>("status", s))),
            description: "Items waiting for a moderator, by status.");
        _meter.CreateObservableGauge("moderation.review.queue.oldest_age",
            () => Statuses.Select(s => new Measurement<double>(_queue.TryGetValue(s, out var q) ? q.OldestAgeSeconds : 0, new KeyValuePair<string, object?>("status", s))),
            unit: "s", description: "Age of the oldest waiting item, by status (0 when none).");
    }

    public void QueueMeasured(IEnumerable<OpenQueueStats> rows, DateTimeOffset now) =>
        _queue = rows.ToDictionary(r => r.Status, r => (r.Count, r.Oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0), StringComparer.Ordinal);

    public void Dispose() => _meter.Dispose();
}

/// <summary>Measures the queue every 15 s for <see cref="ReviewMetrics"/>; a failed measurement keeps the last values.</summary>
public sealed class ReviewQueueMonitor(IReviewQueue queue, ReviewMetrics metrics, TimeProvider time, ILogger<ReviewQueueMonitor> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                metrics.QueueMeasured(await queue.OpenStatsAsync(stoppingToken), time.GetUtcNow());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("Measuring the review queue failed: {Reason}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
