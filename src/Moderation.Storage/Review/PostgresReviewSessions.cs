using Dapper;
using Npgsql;

namespace Moderation.Storage.Review;

/// <summary>The review page's sessions on PostgreSQL (migration 0210).</summary>
public sealed class PostgresReviewSessions(NpgsqlDataSource db) : IReviewSessions
{
    private const string Columns = """
        session_id AS SessionId, user_name AS UserName, roles AS Roles, auth_method AS AuthMethod, fingerprint AS Fingerprint,
        created_at AS CreatedAt, last_seen_at AS LastSeenAt, expires_at AS ExpiresAt, host(client_ip) AS ClientIp,
        user_agent AS UserAgent, revoked_at AS RevokedAt, revoked_by AS RevokedBy, revoke_reason AS RevokeReason
        """;

    public async Task CreateAsync(NewSession s, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO review_sessions (session_id, token_sha256, user_name, roles, auth_method, fingerprint, created_at, last_seen_at,
                                         expires_at, client_ip, user_agent)
            VALUES (@SessionId, @TokenSha256, @UserName, @Roles, @AuthMethod, @Fingerprint, @CreatedAt, @CreatedAt, @ExpiresAt, @ClientIp::inet, @UserAgent)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new
        {
            s.SessionId, s.TokenSha256, s.UserName, Roles = s.Roles.ToArray(), s.AuthMethod, s.Fingerprint, s.CreatedAt, s.ExpiresAt, s.ClientIp,
            UserAgent = AuditText.CleanOptional(s.UserAgent, AuditText.UserAgentChars),
        }, cancellationToken: ct));
    }

    public async Task<ReviewSession?> FindByTokenAsync(string tokenSha256, CancellationToken ct)
    {
        const string sql = $"SELECT {Columns} FROM review_sessions WHERE token_sha256 = @TokenSha256";
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, new { TokenSha256 = tokenSha256 }, cancellationToken: ct));
        return row?.ToSession();
    }

    public async Task TouchAsync(Guid sessionId, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE review_sessions SET last_seen_at = greatest(last_seen_at, @At) WHERE session_id = @Id AND revoked_at IS NULL",
            new { Id = sessionId, At = at }, cancellationToken: ct));
    }

    public async Task<bool> RevokeAsync(Guid sessionId, ReviewActor actor, string auditAction, string reason, DateTimeOffset at, CancellationToken ct) =>
        await RevokeWhereAsync("session_id = @Id", new { Id = sessionId }, actor, auditAction, reason, at, ct) == 1;

    public Task<int> RevokeUserAsync(string userName, ReviewActor actor, string auditAction, string reason, DateTimeOffset at, CancellationToken ct) =>
        RevokeWhereAsync("user_name = @User", new { User = userName }, actor, auditAction, reason, at, ct);

    private async Task<int> RevokeWhereAsync(string where, object key, ReviewActor actor, string auditAction, string reason, DateTimeOffset at, CancellationToken ct)
    {
        var sql = $"""
            UPDATE review_sessions SET revoked_at = @At, revoked_by = @By, revoke_reason = @Reason
            WHERE {where} AND revoked_at IS NULL
            RETURNING session_id AS SessionId, user_name AS UserName
            """;
        var args = new DynamicParameters(key);
        args.AddDynamicParams(new { At = at, By = actor.Name, Reason = reason });
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var ended = (await conn.QueryAsync<(Guid SessionId, string UserName)>(new CommandDefinition(sql, args, tx, cancellationToken: ct))).ToList();
        foreach (var (id, user) in ended)
            await PostgresAuditLog.AppendAsync(conn, tx, actor, auditAction, null, new { sessionId = id, user, reason }, at, ct);
        await tx.CommitAsync(ct);
        return ended.Count;
    }

    public async Task<IReadOnlyList<ReviewSession>> ListLiveAsync(string? userName, DateTimeOffset now, DateTimeOffset idleSince, int limit, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {Columns} FROM review_sessions
            WHERE revoked_at IS NULL AND expires_at > @Now AND last_seen_at >= @IdleSince
              AND (@User::text IS NULL OR user_name = @User)
            ORDER BY created_at DESC
            LIMIT @Limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition(sql, new { Now = now, IdleSince = idleSince, User = userName, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToSession()).ToList();
    }

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM review_sessions WHERE revoked_at < @Cutoff OR expires_at < @Cutoff", new { Cutoff = endedBefore }, cancellationToken: ct));
    }

    private sealed class Row
    {
        public Guid SessionId { get; set; }
        public string UserName { get; set; } = "";
        public string[] Roles { get; set; } = [];
        public string AuthMethod { get; set; } = "";
        public string Fingerprint { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public DateTime LastSeenAt { get; set; }
        public DateTime ExpiresAt { get; set; }
        public string? ClientIp { get; set; }
        public string? UserAgent { get; set; }
        public DateTime? RevokedAt { get; set; }
        public string? RevokedBy { get; set; }
        public string? RevokeReason { get; set; }

        public ReviewSession ToSession() => new(SessionId, UserName, Roles, AuthMethod, Fingerprint, PostgresValues.Utc(CreatedAt),
            PostgresValues.Utc(LastSeenAt), PostgresValues.Utc(ExpiresAt), ClientIp, UserAgent, PostgresValues.Utc(RevokedAt), RevokedBy, RevokeReason);
    }
}
