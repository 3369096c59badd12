using System.Text.Json;

namespace Moderation.Storage.Review;

/// <summary>
/// One audit row. <see cref="OccurredAt"/> is the application's clock; <see cref="RecordedAt"/> is the database's own
/// at the INSERT (null for rows older than migration 0220), so a backdated row shows as one.
/// </summary>
public sealed record AuditEntry(long AuditId, DateTimeOffset OccurredAt, string Actor, IReadOnlyList<string> ActorRoles, string AuthMethod,
    string Action, Guid? DecisionId, string? ClientIp, string? UserAgent, JsonElement Details, DateTimeOffset? RecordedAt);

/// <summary>Audit action names: stable strings, since auditors filter and courts read them.</summary>
public static class AuditActions
{
    public const string Login = "login";
    public const string LoginFailed = "login.failed";

    /// <summary>Logins refused by the rate limit: one row per client address and limiter window, so a flood cannot fill the log.</summary>
    public const string LoginRateLimited = "login.rate_limited";
    public const string Logout = "logout";
    public const string ViewPersonalData = "item.view_personal_data";
    public const string Claim = "item.claim";
    public const string Unclaim = "item.unclaim";
    public const string Confirm = "item.confirm";
    public const string Release = "item.release";
    public const string Escalate = "item.escalate";
    public const string Note = "item.note";
    public const string ViewAuditLog = "audit.view";
    public const string Export = "export.training";

    /// <summary>An admin ended someone's session.</summary>
    public const string SessionRevoke = "session.revoke";

    /// <summary>The app ended a session: idle, past its lifetime, the user removed from configuration or given other roles.</summary>
    public const string SessionEnd = "session.end";

    /// <summary>An admin listed sessions (they hold reviewers' addresses).</summary>
    public const string ViewSessions = "sessions.view";
}
