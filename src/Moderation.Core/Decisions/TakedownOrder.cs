using Moderation.Core.Posts;

namespace Moderation.Core.Decisions;

/// <summary>
/// One takedown of one post version: what the takedowns row, the regulator report case and the
/// TakedownRequested / RecordPreservationRequested events are made from, whether the policy blocked the
/// post automatically or a moderator confirmed a held one. Ids derive from the decision, so a repeat is
/// recognisably the same takedown.
/// </summary>
public sealed record TakedownOrder(
    Guid TakedownId,
    Guid CaseId,
    Guid DecisionId,
    string Platform,
    string ContentId,
    long Version,
    IReadOnlyList<int> Categories,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt)
{
    public const string AutomaticActor = "auto";

    /// <summary>The policy blocked the post: requested by "auto" when decided, for the decision's categories and reasons.</summary>
    public static TakedownOrder Automatic(PostRecord post, ModerationDecision decision) =>
        Create(post, decision.DecisionId, decision.Categories, string.Join("; ", decision.Reasons), AutomaticActor, decision.DecidedAt);

    /// <summary>
    /// A moderator confirmed the held decision, possibly correcting its categories; the takedown is the
    /// moderator's, at the time of the confirmation, with the moderator's reason.
    /// </summary>
    public static TakedownOrder ByModerator(PostRecord post, ModerationDecision held, IReadOnlyList<int> categories, string moderator, string reason, DateTimeOffset at) =>
        Create(post, held.DecisionId, categories, reason, moderator, at);

    private static TakedownOrder Create(PostRecord post, Guid decisionId, IReadOnlyList<int> categories, string reason, string by, DateTimeOffset at) => new(
        DeterministicIds.For(decisionId, "takedown"),
        DeterministicIds.For(decisionId, "report-case"),
        decisionId, post.Platform, post.ContentId, post.Version, categories, reason, by, at);
}
