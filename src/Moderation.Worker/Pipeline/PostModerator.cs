using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;

namespace Moderation.Worker.Pipeline;

/// <summary>What happened to one delivered post.</summary>
public sealed record ModerationOutcome(ModeratedPost Post, bool Duplicate);

/// <summary>
/// The whole life of one post, transport-agnostic: accept (or reject with a reason), decide, record,
/// emit, mark emitted. Record-before-emit means no event ever names a post we did not record;
/// mark-after-emit means a redelivery re-emits (with the same message ids) only if the first attempt
/// died in between, and a republish of an already-handled post emits nothing.
/// </summary>
public sealed class PostModerator(
    ModerationEngine engine,
    GroupCommitWriter writer,
    IOptionsMonitor<PolicyOptions> policy,
    IOptions<IntakeOptions> intake,
    IOptions<StorageOptions> storage,
    TimeProvider time)
{
    public async Task<ModerationOutcome> ModerateAsync(ContentPublished message, Func<OutgoingEvent, Task> publish)
    {
        var now = time.GetUtcNow();
        var record = PostIntake.Accept(message, intake.Value, now);
        var decision = engine.Decide(record, policy.CurrentValue, now);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);

        var saved = await writer.SaveAsync(new ModeratedPost(record, decision, json, sha, now + storage.Value.ReportDue));
        if (saved.EventsPublished)
            return new ModerationOutcome(saved.Stored, Duplicate: true);

        // Emit what was stored, not what was just computed: on a redelivery the lexicon may have changed since.
        var stored = saved.Stored;
        await Task.WhenAll(DecisionEvents.For(stored.Record, stored.Decision, stored.EvidenceSha256).Select(publish));
        await writer.MarkEventsPublishedAsync(stored.Decision.DecisionId);
        return new ModerationOutcome(stored, Duplicate: !saved.Inserted);
    }
}
