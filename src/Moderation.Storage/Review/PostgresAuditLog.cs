using System.Text.Json;
using Dapper;
using Npgsql;

namespace Moderation.Storage.Review;

/// <summary>
/// The audit log on PostgreSQL (migration 0100's trigger refuses UPDATE, DELETE and TRUNCATE; 0220's sets
/// recorded_at from the database's clock). Every string is cleaned and capped by <see cref="AuditText"/>.
/// </summary>
public sealed class PostgresAuditLog(NpgsqlDataSource db, TimeProvider time) : IAuditLog
{
    public async Task AppendAsync(ReviewActor actor, string action, Guid? decisionId, object? details, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await AppendAsync(conn, null, actor, action, decisionId, details, time.GetUtcNow(), ct);
    }

    /// <summary>Inside a command's transaction, so an action and its trail commit together.</summary>
    internal static Task AppendAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, ReviewActor actor, string action, Guid? decisionId, object? details, DateTimeOffset at, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action, decision_id, client_ip, user_agent, details)
            VALUES (@At, @Actor, @Roles, @AuthMethod, @Action, @DecisionId, @Ip::inet, @UserAgent, @Details::jsonb)
            """;
        return conn.ExecuteAsync(new CommandDefinition(sql, new
        {
            At = at,
            Actor = AuditText.Clean(actor.Name, AuditText.ActorChars),
            Roles = AuditText.Roles(actor.Roles),
            AuthMethod = AuditText.Clean(actor.AuthMethod, AuditText.ShortChars),
            Action = action,
            DecisionId = decisionId,
            Ip = actor.ClientIp,
            UserAgent = AuditText.CleanOptional(actor.UserAgent, AuditText.UserAgentChars),
            Details = AuditText.Details(details),
        }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? decisionId, string? actor, long? before, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT audit_id AS AuditId, occurred_at AS OccurredAt, actor AS Actor, actor_roles AS ActorRoles,
                   auth_method AS AuthMethod, action AS Action, decision_id AS DecisionId, host(client_ip) AS ClientIp,
                   user_agent AS UserAgent, details::text AS Details, recorded_at AS RecordedAt
            FROM review_audit_log
            WHERE (@DecisionId::uuid IS NULL OR decision_id = @DecisionId)
              AND (@Actor::text IS NULL OR actor = @Actor)
              AND (@Before::bigint IS NULL OR audit_id < @Before)
            ORDER BY audit_id DESC
            LIMIT @Limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<AuditRow>(new CommandDefinition(sql, new { DecisionId = decisionId, Actor = actor, Before = before, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(r.AuditId, PostgresValues.Utc(r.OccurredAt), r.Actor, r.ActorRoles, r.AuthMethod, r.Action, r.DecisionId,
            r.ClientIp, r.UserAgent, JsonDocument.Parse(r.Details).RootElement.Clone(), PostgresValues.Utc(r.RecordedAt))).ToList();
    }

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
        public DateTime? RecordedAt { get; set; }
    }
}
