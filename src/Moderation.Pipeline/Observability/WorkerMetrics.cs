using System.Diagnostics;
using System.Diagnostics.Metrics;
using Moderation.Pipeline;

namespace Moderation.Pipeline.Observability;

/// <summary>
/// The worker's meter ("Moderation.Worker") and activity source. Exported by OpenTelemetry (Prometheus
/// /metrics and OTLP, see docs/operations.md); also readable with `dotnet-counters monitor --counters Moderation.Worker`.
/// In Prometheus the names become e.g. <c>moderation_posts_total</c> and <c>moderation_decision_duration_seconds</c>.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    public const string MeterName = "Moderation.Worker";

    /// <summary>Spans for each moderated post (child of MassTransit's consume span, parent of the event publishes).</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Meter _meter;
    private readonly Counter<long> _posts;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _returned;
    private readonly Histogram<double> _delay;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _takedown;

    public WorkerMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _posts = _meter.CreateCounter<long>("moderation.posts", description: "Posts handled, by outcome (decided, duplicate, rejected).");
        _decisions = _meter.CreateCounter<long>("moderation.decisions", description: "Decisions made, by action and category (0 = none).");
        _duplicates = _meter.CreateCounter<long>("moderation.duplicates", description: "Deliveries of posts that were already stored.");
        _rejected = _meter.CreateCounter<long>("moderation.rejected", description: "Posts moved to the error queue, by whose fault: post (bad input) or unknown (a bug).");
        _retries = _meter.CreateCounter<long>("moderation.infrastructure.retries", description: "Attempts that failed because a dependency was down, by dependency.");
        _returned = _meter.CreateCounter<long>("moderation.intake.returned", description: "Posts returned to the queue after being held for Moderation:Resilience:MaxHold.");
        _delay = _meter.CreateHistogram<double>("moderation.decision_delay", unit: "s", description: "From publishedAt to the decision.");
        _duration = _meter.CreateHistogram<double>("moderation.decision.duration", unit: "s",
            description: "From the post's arrival to its decision being recorded and its events published (includes waiting out an outage).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        _takedown = _meter.CreateHistogram<double>("moderation.takedown.duration", unit: "s",
            description: "Time to takedown: from TakedownRequested to the platform's TakedownCompleted.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400] });
    }

    /// <summary>
    /// Clause 3's "take it down at once", measured: from the takedown request to the platform's confirmation, recorded once
    /// per takedown (a redelivered confirmation is not counted again).
    /// </summary>
    public void TakedownCompleted(TimeSpan requestToCompletion) => _takedown.Record(Math.Max(0, requestToCompletion.TotalSeconds));

    public void Decided(ModerationOutcome outcome)
    {
        if (outcome.Duplicate)
        {
            _posts.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
            _duplicates.Add(1);
            return;
        }
        _posts.Add(1, new KeyValuePair<string, object?>("outcome", "decided"));
        var d = outcome.Post.Decision;
        if (d.Categories.Count == 0)
            _decisions.Add(1, new("action", d.Action), new("category", 0));
        foreach (var category in d.Categories)
            _decisions.Add(1, new("action", d.Action), new("category", category));
        _delay.Record((d.DecidedAt - outcome.Post.Record.PublishedAt).TotalSeconds);
    }

    public void Rejected(Resilience.FaultKind kind)
    {
        _posts.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
        _rejected.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));
    }

    /// <summary>How long one post took from arrival to being done (recorded apart from <see cref="Decided"/>).</summary>
    public void Handled(TimeSpan elapsed) => _duration.Record(elapsed.TotalSeconds);

    public void InfrastructureRetry(string dependency) => _retries.Add(1, new KeyValuePair<string, object?>("dependency", dependency));

    public void ReturnedToQueue() => _returned.Add(1);

    /// <summary>Circuit state (1 = open: intake paused) and how many posts are being held.</summary>
    public void ObserveCircuit(Func<bool> open, Func<int> held)
    {
        _meter.CreateObservableGauge("moderation.intake.paused", () => open() ? 1 : 0, description: "1 while a dependency is down and intake is paused (circuit open).");
        _meter.CreateObservableGauge("moderation.intake.held", held, description: "Posts held unacknowledged while intake is paused.");
    }

    /// <summary>Whether each receive endpoint is consuming (1) or not (0), by queue.</summary>
    public void ObserveEndpoints(Func<IEnumerable<(string Queue, bool Consuming)>> endpoints) =>
        _meter.CreateObservableGauge("moderation.endpoint.consuming",
            () => endpoints().Select(e => new Measurement<int>(e.Consuming ? 1 : 0, new KeyValuePair<string, object?>("queue", e.Queue))),
            description: "1 while the receive endpoint of this queue is consuming.");

    /// <summary>The lexicon, model and policy versions decisions are made with now (value always 1).</summary>
    public void ObserveVersions(Func<(string Lexicon, string Model, string Policy)> versions) =>
        _meter.CreateObservableGauge("moderation.versions", () =>
        {
            var (lexicon, model, policy) = versions();
            return new Measurement<int>(1, new("lexicon", lexicon), new("model", model), new("policy", policy));
        }, description: "The lexicon, model and policy versions in force (labels); value 1.");

    public void Dispose() => _meter.Dispose();
}
