using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Posts;

namespace Moderation.Core.Events;

/// <summary>An outgoing event with the message id it must carry, so a re-publish is recognisably the same message.</summary>
public sealed record OutgoingEvent(Guid MessageId, object Message);

/// <summary>
/// Where every event is shaped: those of an automatic decision (the worker) and those of a moderator's
/// confirm or release (the review app), always from the stored record and decision. Pure, so the
/// consumer, the redelivery path and the review outbox produce exactly the same messages with the same ids.
/// </summary>
public static class DecisionEvents
{
    public const string AutomaticActor = TakedownOrder.AutomaticActor;

    /// <summary>The events one automatic decision emits.</summary>
    public static IReadOnlyList<OutgoingEvent> For(PostRecord post, ModerationDecision d, string evidenceSha256)
    {
        var events = new List<OutgoingEvent>(3)
        {
            new(DeterministicIds.For(d.DecisionId, nameof(ContentModerated)), Moderated(post, d)),
        };
        if (d.Action == ModerationActions.Block)
        {
            events.AddRange(ForTakedown(post, TakedownOrder.Automatic(post, d), evidenceSha256));
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

    /// <summary>A takedown (automatic or a moderator's confirmation): take it down, and keep its records (clause 3).</summary>
    public static IReadOnlyList<OutgoingEvent> ForTakedown(PostRecord post, TakedownOrder order, string evidenceSha256) =>
    [
        new(DeterministicIds.For(order.DecisionId, nameof(TakedownRequested)), new TakedownRequested
        {
            TakedownId = order.TakedownId,
            DecisionId = order.DecisionId,
            Platform = order.Platform,
            ContentId = order.ContentId,
            Version = order.Version,
            Categories = order.Categories,
            Reason = order.Reason,
            RequestedBy = order.RequestedBy,
            RequestedAt = order.RequestedAt,
        }),
        new(DeterministicIds.For(order.DecisionId, nameof(RecordPreservationRequested)), Preservation(post, order, evidenceSha256)),
    ];

    /// <summary>A moderator released a held post: the platform may show it again.</summary>
    public static IReadOnlyList<OutgoingEvent> ForRelease(PostRecord post, ModerationDecision held, string moderator, string reason, DateTimeOffset at) =>
    [
        new(DeterministicIds.For(held.DecisionId, nameof(ContentReleased)), new ContentReleased
        {
            DecisionId = held.DecisionId,
            Platform = post.Platform,
            ContentId = post.ContentId,
            Version = post.Version,
            ReleasedBy = moderator,
            Reason = reason,
            ReleasedAt = at,
        }),
    ];

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
        BankVersion = d.BankVersion,
        ContentSha256 = post.ContentSha256,
        PublishedAt = post.PublishedAt,
        DecidedAt = d.DecidedAt,
    };

    public static RecordPreservationRequested Preservation(PostRecord post, TakedownOrder order, string evidenceSha256) => new()
    {
        DecisionId = order.DecisionId,
        Platform = post.Platform,
        ContentId = post.ContentId,
        Version = post.Version,
        Categories = order.Categories,
        ContentSha256 = post.ContentSha256,
        EvidenceSha256 = evidenceSha256,
        PreserveUntil = post.RetainUntil,
        RequestedAt = order.RequestedAt,
    };
}
