using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Posts;

namespace Moderation.Core.Events;

/// <summary>An outgoing event with the message id it must carry, so a re-publish is recognisably the same message.</summary>
public sealed record OutgoingEvent(Guid MessageId, object Message);

/// <summary>
/// The events one decision emits. Pure, so the consumer and the redelivery path produce exactly
/// the same messages with the same ids.
/// </summary>
public static class DecisionEvents
{
    public const string AutomaticActor = "auto";

    public static IReadOnlyList<OutgoingEvent> For(PostRecord post, ModerationDecision d, string evidenceSha256)
    {
        var events = new List<OutgoingEvent>(3)
        {
            new(DeterministicIds.For(d.DecisionId, nameof(ContentModerated)), Moderated(post, d)),
        };
        if (d.Action == ModerationActions.Block)
        {
            events.Add(new(DeterministicIds.For(d.DecisionId, nameof(TakedownRequested)), new TakedownRequested
            {
                TakedownId = DeterministicIds.For(d.DecisionId, "takedown"),
                DecisionId = d.DecisionId,
                Platform = post.Platform,
                ContentId = post.ContentId,
                Version = post.Version,
                Categories = d.Categories,
                Reason = string.Join("; ", d.Reasons),
                RequestedBy = AutomaticActor,
                RequestedAt = d.DecidedAt,
            }));
            events.Add(new(DeterministicIds.For(d.DecisionId, nameof(RecordPreservationRequested)), Preservation(post, d, evidenceSha256, d.DecidedAt)));
        }
        else if (d.Action == ModerationActions.Quarantine)
        {
            events.Add(new(DeterministicIds.For(d.DecisionId, nameof(ContentQuarantined)), new ContentQuarantined
            {
                DecisionId = d.DecisionId,
                Platform = post.Platform,
                ContentId = post.ContentId,
                Version = post.Version,
                Categories = d.Categories,
                QuarantinedAt = d.DecidedAt,
            }));
        }
        return events;
    }

    public static ContentModerated Moderated(PostRecord post, ModerationDecision d) => new()
    {
        DecisionId = d.DecisionId,
        Platform = post.Platform,
        ContentId = post.ContentId,
        Version = post.Version,
        Action = d.Action,
        Categories = d.Categories,
        Scores = d.Scores,
        Hits = d.Hits,
        HitsOmitted = d.HitsOmitted,
        LexiconVersion = d.LexiconVersion,
        ModelVersion = d.ModelVersion,
        PolicyVersion = d.PolicyVersion,
        ContentSha256 = post.ContentSha256,
        PublishedAt = post.PublishedAt,
        DecidedAt = d.DecidedAt,
    };

    public static RecordPreservationRequested Preservation(PostRecord post, ModerationDecision d, string evidenceSha256, DateTimeOffset at) => new()
    {
        DecisionId = d.DecisionId,
        Platform = post.Platform,
        ContentId = post.ContentId,
        Version = post.Version,
        Categories = d.Categories,
        ContentSha256 = post.ContentSha256,
        EvidenceSha256 = evidenceSha256,
        PreserveUntil = post.RetainUntil,
        RequestedAt = at,
    };
}
