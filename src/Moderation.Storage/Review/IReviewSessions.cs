namespace Moderation.Storage.Review;

/// <summary>
/// The review page's server-side sessions. The app looks a session up by its token's hash on every request, and
/// ends it (with an audit row in the same transaction) on logout, an admin's revocation or whatever rule it broke.
/// </summary>
public interface IReviewSessions
{
    Task CreateAsync(NewSession s, CancellationToken ct);

    Task<ReviewSession?> FindByTokenAsync(string tokenSha256, CancellationToken ct);

    /// <summary>Records activity (the idle timeout counts from the last one).</summary>
    Task TouchAsync(Guid sessionId, DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// Ends a live session and appends <paramref name="auditAction"/> by <paramref name="actor"/> (details: the
    /// session, its user and the reason) in the same transaction. False when there is no such live session.
    /// </summary>
    Task<bool> RevokeAsync(Guid sessionId, ReviewActor actor, string auditAction, string reason, DateTimeOffset at, CancellationToken ct);

    /// <summary>Ends every live session of <paramref name="userName"/> as <see cref="RevokeAsync"/> does each one; returns how many.</summary>
    Task<int> RevokeUserAsync(string userName, ReviewActor actor, string auditAction, string reason, DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// Sessions not revoked, not past their lifetime at <paramref name="now"/> and seen since <paramref name="idleSince"/>,
    /// newest first, optionally of one user.
    /// </summary>
    Task<IReadOnlyList<ReviewSession>> ListLiveAsync(string? userName, DateTimeOffset now, DateTimeOffset idleSince, int limit, CancellationToken ct);

    /// <summary>Deletes sessions that ended (revoked, or past their lifetime) before <paramref name="endedBefore"/>. Returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken ct);
}
