using Moderation.Core.Events;

namespace Moderation.Storage.Review;

public static class ReviewActions
{
    public const string Confirm = "confirm";
    public const string Release = "release";
    public const string Escalate = "escalate";
    public static IReadOnlyList<string> All { get; } = [Confirm, Release, Escalate];
}

/// <summary>The states of a quarantine item: open (pending, escalated) until a moderator confirms or releases it.</summary>
public static class ReviewStatuses
{
    public const string Pending = "pending";
    public const string Escalated = "escalated";
    public const string Confirmed = "confirmed";
    public const string Released = "released";
}

/// <summary>
/// Who acts, as the store records it: the "who" and "from where" of every audit row. Whether the actor may
/// work the supervisors' queue is the review app's call (from roles); the store only applies it.
/// </summary>
public sealed record ReviewActor(string Name, IReadOnlyList<string> Roles, string AuthMethod, string? ClientIp, string? UserAgent, bool MaySupervise);

public enum Outcome { Done, NotFound, Conflict, Forbidden }

/// <summary>
/// What a claim or decision did. <see cref="Events"/> were written to the outbox in the same transaction as the
/// change; the caller publishes them now (the outbox sweeper does it later if that fails).
/// </summary>
public sealed record CommandResult(Outcome Outcome, string? Detail = null, string? Status = null, DateTimeOffset? ClaimExpiresAt = null)
{
    public IReadOnlyList<OutgoingEvent> Events { get; init; } = [];

    public static CommandResult NotFound(Guid id) => new(Outcome.NotFound, $"No quarantine item {id}.");
}

public sealed record DecideCommand(string Action, string Reason, string? Notes, IReadOnlyList<int>? Categories);
