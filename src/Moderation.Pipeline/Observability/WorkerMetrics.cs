using System.Diagnostics.Metrics;
using Moderation.Pipeline;

namespace Moderation.Pipeline.Observability;

/// <summary>
/// The worker's meter ("Moderation.Worker"): decisions by action and category, duplicates, rejections,
/// and time from publish to decision. Read it with `dotnet-counters monitor --counters Moderation.Worker`
/// or any OpenTelemetry exporter; no exporter is wired in, so the operator chooses one.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    public const string MeterName = "Moderation.Worker";

    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Histogram<double> _delay;

    public WorkerMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _decisions = _meter.CreateCounter<long>("moderation.decisions", description: "Decisions made, by action and category (0 = none).");
        _duplicates = _meter.CreateCounter<long>("moderation.duplicates", description: "Deliveries of posts that were already stored.");
        _rejected = _meter.CreateCounter<long>("moderation.rejected", description: "Posts rejected to the error queue.");
        _delay = _meter.CreateHistogram<double>("moderation.decision_delay", unit: "s", description: "From publishedAt to the decision.");
    }

    public void Decided(ModerationOutcome outcome)
    {
        if (outcome.Duplicate)
        {
            _duplicates.Add(1);
            return;
        }
        var d = outcome.Post.Decision;
        if (d.Categories.Count == 0)
            _decisions.Add(1, new("action", d.Action), new("category", 0));
        foreach (var category in d.Categories)
            _decisions.Add(1, new("action", d.Action), new("category", category));
        _delay.Record((d.DecidedAt - outcome.Post.Record.PublishedAt).TotalSeconds);
    }

    public void Rejected() => _rejected.Add(1);

    public void Dispose() => _meter.Dispose();
}
