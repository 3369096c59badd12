using Microsoft.Extensions.Options;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Contracts;

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
        var now = time.GetUtcNow();
        var record = PostIntake.Accept(message, intake.Value, now);
        var decision = engine.Decide(record, policy.CurrentValue, now);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);

        var saved = await writer.SaveAsync(new ModeratedPost(record, decision, json, sha, now + storage.Value.ReportDue), ct);
        if (!saved.Inserted && !seenBefore)
            return new ModerationOutcome(saved.Stored, Duplicate: true);

        // Emit what was stored, not what was just computed: on a redelivery the lexicon may have changed since.
        var stored = saved.Stored;
        await Task.WhenAll(DecisionEvents.For(stored.Record, stored.Decision, stored.EvidenceSha256).Select(e => publish(e, ct)));
        return new ModerationOutcome(stored, Duplicate: !saved.Inserted);
    }
}
