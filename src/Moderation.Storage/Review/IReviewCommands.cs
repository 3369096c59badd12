namespace Moderation.Storage.Review;

/// <summary>
/// What moderators do. Every state change commits together with its audit row, and with its events in the
/// outbox (<see cref="CommandResult.Events"/>), which are shaped from the stored record and decision.
/// </summary>
public interface IReviewCommands
{
    /// <summary>
    /// Claims an open item for <paramref name="lease"/>: exactly one of several concurrent claimants wins; the
    /// holder may re-claim to extend it, and anyone may take an item whose lease lapsed. A claimant who already holds
    /// <paramref name="maxOpenClaims"/> live claims on other items gets a conflict, also when claiming in parallel.
    /// </summary>
    Task<CommandResult> ClaimAsync(ReviewActor actor, Guid id, TimeSpan lease, int maxOpenClaims, CancellationToken ct);

    Task<CommandResult> UnclaimAsync(ReviewActor actor, Guid id, CancellationToken ct);

    /// <summary>
    /// Confirm (takedown, report case due after <paramref name="reportDue"/>, legal hold), release or escalate.
    /// Needs the actor's live claim unless <paramref name="overrideClaim"/> (supervisors' bulk decisions).
    /// </summary>
    Task<CommandResult> DecideAsync(ReviewActor actor, Guid id, DecideCommand cmd, bool overrideClaim, TimeSpan reportDue, CancellationToken ct);

    /// <summary>
    /// Adds a note row (author = the actor, time = now) to an open item of the actor's queue: moderators pending items,
    /// supervisors and admins escalated ones too. Decided items take no notes (conflict).
    /// </summary>
    Task<CommandResult> AddNoteAsync(ReviewActor actor, Guid id, string text, CancellationToken ct);
}
