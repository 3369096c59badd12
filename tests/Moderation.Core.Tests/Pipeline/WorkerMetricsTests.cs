using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline;

namespace Moderation.Core.Tests.Pipeline;

public sealed class WorkerMetricsTests
{
    private static ModerationOutcome Outcome(string action, int[] categories, bool duplicate = false)
    {
        var now = new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero);
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = "p", ContentId = "c", ServiceType = "chat", AuthorId = "a", Body = "b", PublishedAt = now.AddSeconds(-2), SourceIp = "192.0.2.1",
        }, new IntakeOptions(), now);
        var d = new ModerationDecision(Guid.NewGuid(), action, categories, [], [], [], "l", "m", "p", now);
        var (json, sha) = EvidenceSnapshot.Create(record, d);
        return new ModerationOutcome(new ModeratedPost(record, d, json, sha, now), duplicate);
    }

    [Fact]
    public void Decisions_are_counted_per_category_with_their_action_and_duplicates_apart()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new WorkerMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Instrument, long Value, string Tags)>();
        var delays = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Name == WorkerMetrics.MeterName) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
            seen.Add((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.SetMeasurementEventCallback<double>((_, v, _, _) => delays.Add(v));
        listener.Start();

        metrics.Decided(Outcome(ModerationActions.Block, [7, 9]));
        metrics.Decided(Outcome(ModerationActions.Pass, []));
        metrics.Decided(Outcome(ModerationActions.Pass, [], duplicate: true));
        metrics.Rejected(Moderation.Pipeline.Resilience.FaultKind.Post);

        Assert.Equal(
            [
                ("moderation.posts", 1L, "outcome=decided"),
                ("moderation.decisions", 1L, "action=block,category=7"),
                ("moderation.decisions", 1L, "action=block,category=9"),
                ("moderation.posts", 1L, "outcome=decided"),
                ("moderation.decisions", 1L, "action=pass,category=0"),
                ("moderation.posts", 1L, "outcome=duplicate"),
                ("moderation.duplicates", 1L, ""),
                ("moderation.posts", 1L, "outcome=rejected"),
                ("moderation.rejected", 1L, "kind=post"),
            ], seen);
        Assert.Equal([2.0, 2.0], delays);
    }
}
