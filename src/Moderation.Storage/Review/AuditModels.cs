using System.Text.Json;

namespace Moderation.Storage.Review;

public sealed record AuditEntry(long AuditId, DateTimeOffset OccurredAt, string Actor, IReadOnlyList<string> ActorRoles, string AuthMethod,
    string Action, Guid? DecisionId, string? ClientIp, string? UserAgent, JsonElement Details);

/// <summary>Audit action names: stable strings, since auditors filter and courts read them.</summary>
public static class AuditActions
{
    public const string Login = "login";
    public const string LoginFailed = "login.failed";
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
}
