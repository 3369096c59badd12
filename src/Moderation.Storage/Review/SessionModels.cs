namespace Moderation.Storage.Review;

/// <summary>
/// A new page session. <see cref="TokenSha256"/> is the hash of the secret the cookie carries (the secret itself is
/// never stored); <see cref="Fingerprint"/> summarises the user's configured roles and credential at login, so a
/// change to either shows at the next request; <see cref="ExpiresAt"/> is the absolute end, however busy the session.
/// </summary>
public sealed record NewSession(
    Guid SessionId, string TokenSha256, string UserName, IReadOnlyList<string> Roles, string AuthMethod, string Fingerprint,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? ClientIp, string? UserAgent);

/// <summary>A stored session, live or ended (<see cref="RevokedAt"/> and <see cref="RevokeReason"/> say when and why).</summary>
public sealed record ReviewSession(
    Guid SessionId, string UserName, IReadOnlyList<string> Roles, string AuthMethod, string Fingerprint,
    DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? ClientIp, string? UserAgent,
    DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokeReason)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>Why a session ended: stable strings, stored with the session and in its audit row.</summary>
public static class SessionEndReasons
{
    public const string Logout = "logout";
    public const string RevokedByAdmin = "revoked by an admin";
    public const string IdleTimeout = "idle timeout";
    public const string LifetimeOver = "absolute lifetime over";
    public const string UserRemoved = "user removed from configuration";
    public const string RolesChanged = "roles or credential changed";
}
