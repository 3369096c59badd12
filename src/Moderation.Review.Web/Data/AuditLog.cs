using System.Net;
using System.Text.Json;
using Dapper;
using Moderation.Review.Auth;
using Npgsql;

namespace Moderation.Review.Data;

/// <summary>Writes and reads the append-only audit log (the table's trigger refuses UPDATE and DELETE).</summary>
public sealed class AuditLog(NpgsqlDataSource db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Written inside the caller's transaction when there is one, so an action and its trail commit together.</summary>
    public async Task WriteAsync(Actor actor, string action, Guid? decisionId, object? details,
        NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null, CancellationToken ct = default)
    {
        const string sql = """
            INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action, decision_id, client_ip, user_agent, details)
            VALUES (@At, @Actor, @Roles, @AuthMethod, @Action, @DecisionId, @Ip::inet, @UserAgent, @Details::jsonb)
            """;
        var args = new
        {
            At = time.GetUtcNow(),
            Actor = actor.Name,
            Roles = actor.Roles.ToArray(),
            actor.AuthMethod,
            Action = action,
            DecisionId = decisionId,
            Ip = Normalise(actor.Ip),
            actor.UserAgent,
            Details = JsonSerializer.Serialize(details ?? new { }, Json),
        };
        if (connection is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, args, transaction, cancellationToken: ct));
            return;
        }
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? decisionId, string? actor, long? before, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT audit_id AS AuditId, occurred_at AS OccurredAt, actor AS Actor, actor_roles AS ActorRoles,
                   auth_method AS AuthMethod, action AS Action, decision_id AS DecisionId, host(client_ip) AS ClientIp,
                   user_agent AS UserAgent, details::text AS Details
            FROM review_audit_log
            WHERE (@DecisionId::uuid IS NULL OR decision_id = @DecisionId)
              AND (@Actor::text IS NULL OR actor = @Actor)
              AND (@Before::bigint IS NULL OR audit_id < @Before)
            ORDER BY audit_id DESC
            LIMIT @Limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<AuditRow>(new CommandDefinition(sql, new { DecisionId = decisionId, Actor = actor, Before = before, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(r.AuditId, Utc(r.OccurredAt), r.Actor, r.ActorRoles, r.AuthMethod, r.Action, r.DecisionId,
            r.ClientIp, r.UserAgent, JsonDocument.Parse(r.Details).RootElement.Clone())).ToList();
    }

    private static string? Normalise(IPAddress? ip) => ip is null ? null : (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();

    internal static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private sealed class AuditRow
    {
        public long AuditId { get; set; }
        public DateTime OccurredAt { get; set; }
        public string Actor { get; set; } = "";
        public string[] ActorRoles { get; set; } = [];
        public string AuthMethod { get; set; } = "";
        public string Action { get; set; } = "";
        public Guid? DecisionId { get; set; }
        public string? ClientIp { get; set; }
        public string? UserAgent { get; set; }
        public string Details { get; set; } = "{}";
    }
}

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
