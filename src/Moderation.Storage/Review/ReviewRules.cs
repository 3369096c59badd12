namespace Moderation.Storage.Review;

/// <summary>The rules both providers apply around a claim or decision, kept in one place.</summary>
internal static class ReviewRules
{
    public static readonly string[] Pending = [ReviewStatuses.Pending];
    public static readonly string[] Open = [ReviewStatuses.Pending, ReviewStatuses.Escalated];

    /// <summary>Moderators work the pending queue; supervisors and admins the escalated one too.</summary>
    public static string[] StatusesFor(ReviewActor actor) => actor.MaySupervise ? Open : Pending;

    public static string NewStatus(string action) => action switch
    {
        ReviewActions.Confirm => ReviewStatuses.Confirmed,
        ReviewActions.Release => ReviewStatuses.Released,
        _ => ReviewStatuses.Escalated,
    };

    public static string AuditAction(string action) => action switch
    {
        ReviewActions.Confirm => AuditActions.Confirm,
        ReviewActions.Release => AuditActions.Release,
        _ => AuditActions.Escalate,
    };

    /// <summary>
    /// Who may annotate what (README "Roles and security"): notes belong to open items, in the queue the actor works:
    /// moderators the pending queue, supervisors and admins the escalated one too. A decided item is closed.
    /// </summary>
    public static string[] NoteStatusesFor(ReviewActor actor) => StatusesFor(actor);

    /// <summary>Why a note matched no open item of the actor's queue.</summary>
    public static CommandResult ExplainNote(ItemState? s, ReviewActor actor, Guid id)
    {
        if (s is null) return CommandResult.NotFound(id);
        if (s.Status is ReviewStatuses.Confirmed or ReviewStatuses.Released)
            return new(Outcome.Conflict, $"Item is already {s.Status}; notes are for open items.", s.Status);
        if (s.Status == ReviewStatuses.Escalated && !actor.MaySupervise)
            return new(Outcome.Forbidden, "Escalated items are in the supervisors' queue.", s.Status);
        return new(Outcome.Conflict, "The note could not be added; try again.", s.Status);
    }

    /// <summary>The claimant already holds the most open claims one person may.</summary>
    public static CommandResult TooManyClaims(int held, int max, string? status) => new(Outcome.Conflict,
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"You already hold {held} open claims, the most one person may (Moderation:Review:MaxOpenClaimsPerPerson = {max}): decide or unclaim one first."),
        status);

    /// <summary>Why a claim or decision matched no row: gone, decided, someone else's, or not this role's queue.</summary>
    public static CommandResult Explain(ItemState? s, ReviewActor actor, Guid id, string action, DateTimeOffset now, bool claiming)
    {
        if (s is null) return CommandResult.NotFound(id);
        if (s.Status is ReviewStatuses.Confirmed or ReviewStatuses.Released)
            return new(Outcome.Conflict, $"Item is already {s.Status}.", s.Status);
        if (s.Status == ReviewStatuses.Escalated && action == ReviewActions.Escalate)
            return new(Outcome.Conflict, "Item is already escalated.", s.Status);
        if (s.Status == ReviewStatuses.Escalated && !actor.MaySupervise)
            return new(Outcome.Forbidden, "Escalated items are in the supervisors' queue.", s.Status);
        var liveClaim = s.ClaimedBy is not null && s.ClaimExpiresAt is { } exp && exp >= now;
        if (liveClaim && s.ClaimedBy != actor.Name)
            return new(Outcome.Conflict, $"Item is claimed by {s.ClaimedBy} until {s.ClaimExpiresAt!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}.", s.Status);
        return claiming
            ? new(Outcome.Conflict, "Item could not be claimed; try again.", s.Status)
            : new(Outcome.Conflict, "Claim the item first (your claim is missing or has lapsed).", s.Status);
    }
}

/// <summary>An item's review state, read to explain a refusal.</summary>
internal sealed record ItemState(string Status, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt);
