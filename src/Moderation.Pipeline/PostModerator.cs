using Microsoft.Extensions.Options;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Contracts;
using Moderation.Pipeline.Observability;

namespace Moderation.Pipeline;

/// <summary>What happened to one delivered post.</summary>
public sealed record ModerationOutcome(ModeratedPost Post, bool Duplicate);

/// <summary>
/// The whole life of one post, transport-agnostic: accept (or reject with a reason), decide, record,
/// emit. Record-before-emit means no event ever names a post we did not record. Whether to emit for a
/// post that is already stored follows from the delivery: a redelivery or a retry may come from an
/// attempt that died between commit and publish, so it re-emits the stored events (with the same
/// message ids); a fresh delivery of a stored post is a republish, and emits nothing.
/// </summary>
public sealed class PostModerator(
    ModerationEngine engine,
    GroupCommitWriter writer,
    IOptionsMonitor<PolicyOptions> policy,
    IOptions<IntakeOptions> intake,
    IOptions<StorageOptions> storage,
    TimeProvider time)
{
    public async Task<ModerationOutcome> ModerateAsync(ContentPublished message, bool seenBefore, Func<OutgoingEvent, CancellationToken, Task> publish, CancellationToken ct)
    {
        // Right after start-up a big lexicon may still be compiling: the post waits here, unacked.
        await engine.WhenReadyAsync(ct);
        using var activity = WorkerMetrics.Activities.StartActivity("moderate");
        var now = time.GetUtcNow();
        var record = PostIntake.Accept(message, intake.Value, now);
        var decision = engine.Decide(record, policy.CurrentValue, now);
        activity?.SetTag("moderation.platform", record.Platform);
        activity?.SetTag("moderation.content_id", record.ContentId);
        activity?.SetTag("moderation.action", decision.Action);
        activity?.SetTag("moderation.categories", string.Join(",", decision.Categories));
        var (json, sha) = EvidenceSnapshot.Create(record, decision);

        // Waiting for the batch can be abandoned (shutdown, lost channel); the batch itself still commits or
        // fails as a whole, and a redelivery finds what it stored.
        var saved = await writer.SaveAsync(new ModeratedPost(record, decision, json, sha, now + storage.Value.ReportDue), ct);
        if (!saved.Inserted && !seenBefore)
            return new ModerationOutcome(saved.Stored, Duplicate: true);

        // Emit what was stored, not what was just computed: on a redelivery the lexicon may have changed since.
        var stored = saved.Stored;
        // A publish waiting for a broker that went away is abandoned when the consume is cancelled (the channel is
        // gone): the post is redelivered and re-publishes the same events under the same ids.
        await Task.WhenAll(DecisionEvents.For(stored.Record, stored.Decision, stored.EvidenceSha256).Select(e => publish(e, ct))).WaitAsync(ct);
        return new ModerationOutcome(stored, Duplicate: !saved.Inserted);
    }
}
