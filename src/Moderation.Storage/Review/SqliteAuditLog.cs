using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using static Moderation.Storage.SqliteDatabase;

namespace Moderation.Storage.Review;

/// <summary>
/// The audit log on SQLite (migration 0110's triggers refuse UPDATE and DELETE). Every string is cleaned and capped
/// by <see cref="AuditText"/>; recorded_at is SQLite's clock at the INSERT.
/// </summary>
public sealed class SqliteAuditLog(string connectionString, TimeProvider time) : IAuditLog
{
    public async Task AppendAsync(ReviewActor actor, string action, Guid? decisionId, object? details, CancellationToken ct)
    {
        await using var conn = await OpenAsync(connectionString, ct);
        await AppendAsync(conn, null, actor, action, decisionId, details, time.GetUtcNow(), ct);
    }

    /// <summary>Inside a command's transaction, so an action and its trail commit together.</summary>
    internal static Task AppendAsync(SqliteConnection conn, SqliteTransaction? tx, ReviewActor actor, string action, Guid? decisionId, object? details, DateTimeOffset at, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action, decision_id, client_ip, user_agent, details, recorded_at)
            VALUES (@At, @Actor, @Roles, @AuthMethod, @Action, @DecisionId, @Ip, @UserAgent, @Details, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            """;
        return conn.ExecuteAsync(new CommandDefinition(sql, new
        {
            At = Ts(at),
            Actor = AuditText.Clean(actor.Name, AuditText.ActorChars),
            Roles = JsonText(AuditText.Roles(actor.Roles)),
            AuthMethod = AuditText.Clean(actor.AuthMethod, AuditText.ShortChars),
            Action = action,
            DecisionId = decisionId is { } id ? Id(id) : null,
            Ip = actor.ClientIp,
            UserAgent = AuditText.CleanOptional(actor.UserAgent, AuditText.UserAgentChars),
            Details = AuditText.Details(details),
        }, tx, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? decisionId, string? actor, long? before, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT audit_id AS AuditId, occurred_at AS OccurredAt, actor AS Actor, actor_roles AS ActorRoles,
                   auth_method AS AuthMethod, action AS Action, decision_id AS DecisionId, client_ip AS ClientIp,
                   user_agent AS UserAgent, details AS Details, recorded_at AS RecordedAt
            FROM review_audit_log
            WHERE (@DecisionId IS NULL OR decision_id = @DecisionId)
              AND (@Actor IS NULL OR actor = @Actor)
              AND (@Before IS NULL OR audit_id < @Before)
            ORDER BY audit_id DESC
            LIMIT @Limit
            """;
        await using var conn = await OpenAsync(connectionString, ct);
        var rows = await conn.QueryAsync<AuditRow>(new CommandDefinition(sql,
            new { DecisionId = decisionId is { } id ? Id(id) : null, Actor = actor, Before = before, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new AuditEntry(r.AuditId, ParseTs(r.OccurredAt), r.Actor, FromJson<List<string>>(r.ActorRoles), r.AuthMethod, r.Action,
            r.DecisionId is { } d ? Guid.Parse(d) : null, r.ClientIp, r.UserAgent, JsonDocument.Parse(r.Details).RootElement.Clone(),
            ParseOptionalTs(r.RecordedAt))).ToList();
    }

    private sealed class AuditRow
    {
        public long AuditId { get; set; }
        public string OccurredAt { get; set; } = "";
        public string Actor { get; set; } = "";
        public string ActorRoles { get; set; } = "[]";
        public string AuthMethod { get; set; } = "";
        public string Action { get; set; } = "";
        public string? DecisionId { get; set; }
        public string? ClientIp { get; set; }
        public string? UserAgent { get; set; }
        public string Details { get; set; } = "{}";
        public string? RecordedAt { get; set; }
    }
}
