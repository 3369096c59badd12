using System.Text.Json;
using Dapper;
using Moderation.Contracts;
using Npgsql;

namespace Moderation.Review.Data;

public sealed record RecordMetadata(
    string AuthorId, string SourceIp, int? SourcePort, DateTimeOffset PublishedAt, DateTimeOffset? EditedAt,
    DateTimeOffset ReceivedAt, IReadOnlyList<string> Urls, string ContentSha256);

public sealed record Versions(string Lexicon, string Model, string Policy);

public sealed record ReviewState(
    string Status, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionReason, string? EscalatedBy, DateTimeOffset? EscalatedAt, string? EscalationReason, string? Notes);

public sealed record PreviousDecision(
    Guid DecisionId, string ContentId, long Version, string Action, IReadOnlyList<int> Categories, DateTimeOffset DecidedAt,
    string? ReviewStatus, string? ReviewedBy, DateTimeOffset? ReviewedAt);

/// <summary>
/// One item as a moderator sees it. <see cref="Text"/> is exactly what the classifiers saw (title, "\n",
/// body), and every hit's Start/End are UTF-16 offsets into it, so the page highlights with plain slicing.
/// </summary>
public sealed record ReviewItem(
    Guid DecisionId, string Platform, string ContentId, long Version, string ServiceType,
    string? Title, string Body, string Text,
    IReadOnlyList<KeywordHit> Hits, IReadOnlyList<CategoryScore> Scores, IReadOnlyList<string> Reasons,
    IReadOnlyList<int> Categories, IReadOnlyList<string> SubLabels, int MaxSeverity, double TopScore,
    Versions Versions, DateTimeOffset ClassifiedAt, DateTimeOffset QueuedAt, long AgeSeconds,
    ReviewState Review, RecordMetadata Record, IReadOnlyList<PreviousDecision> PreviousDecisionsOnAuthor);

public sealed class ItemQueries(NpgsqlDataSource db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ReviewItem?> GetAsync(Guid decisionId, CancellationToken ct)
    {
        // One round trip: the item, then the author's other non-pass decisions (newest 20).
        const string sql = """
            SELECT q.decision_id AS DecisionId, q.platform AS Platform, q.content_id AS ContentId, q.version AS Version,
                   q.service_type AS ServiceType, q.categories AS Categories, q.sub_labels AS SubLabels,
                   q.max_severity AS MaxSeverity, q.top_score AS TopScore, q.status AS Status, q.claimed_by AS ClaimedBy,
                   q.claim_expires_at AS ClaimExpiresAt, q.created_at AS CreatedAt, q.decided_by AS DecidedBy,
                   q.decided_at AS DecidedAt, q.decision_reason AS DecisionReason, q.escalated_by AS EscalatedBy,
                   q.escalated_at AS EscalatedAt, q.escalation_reason AS EscalationReason, q.notes AS Notes,
                   p.author_id AS AuthorId, p.title AS Title, p.body AS Body, p.urls AS Urls, p.published_at AS PublishedAt,
                   p.edited_at AS EditedAt, host(p.source_ip) AS SourceIp, p.source_port AS SourcePort,
                   p.received_at AS ReceivedAt, p.content_sha256 AS ContentSha256,
                   d.hits::text AS Hits, d.scores::text AS Scores, d.reasons::text AS Reasons,
                   d.lexicon_version AS LexiconVersion, d.model_version AS ModelVersion, d.policy_version AS PolicyVersion,
                   d.decided_at AS ClassifiedAt
            FROM quarantine q
            JOIN decisions d ON d.decision_id = q.decision_id
            JOIN post_records p ON p.platform = q.platform AND p.content_id = q.content_id AND p.version = q.version
            WHERE q.decision_id = @Id;

            SELECT d.decision_id AS DecisionId, d.content_id AS ContentId, d.version AS Version, d.action AS Action,
                   d.categories AS Categories, d.decided_at AS DecidedAt, rq.status AS ReviewStatus,
                   rq.decided_by AS ReviewedBy, rq.decided_at AS ReviewedAt
            FROM quarantine q
            JOIN post_records me ON me.platform = q.platform AND me.content_id = q.content_id AND me.version = q.version
            JOIN post_records p ON p.platform = me.platform AND p.author_id = me.author_id
            JOIN decisions d ON d.platform = p.platform AND d.content_id = p.content_id AND d.version = p.version
            LEFT JOIN quarantine rq ON rq.decision_id = d.decision_id
            WHERE q.decision_id = @Id AND d.decision_id <> @Id AND d.action <> 'pass'
            ORDER BY d.decided_at DESC
            LIMIT 20;
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { Id = decisionId }, cancellationToken: ct));
        var r = await grid.ReadSingleOrDefaultAsync<Row>();
        var previous = (await grid.ReadAsync<PreviousRow>()).ToList();
        if (r is null) return null;

        var now = time.GetUtcNow();
        var text = Moderation.Core.Posts.PostRecord.ComposeText(r.Title, r.Body);
        return new ReviewItem(
            r.DecisionId, r.Platform, r.ContentId, r.Version, r.ServiceType, r.Title, r.Body, text,
            JsonSerializer.Deserialize<List<KeywordHit>>(r.Hits, Json) ?? [],
            JsonSerializer.Deserialize<List<CategoryScore>>(r.Scores, Json) ?? [],
            JsonSerializer.Deserialize<List<string>>(r.Reasons, Json) ?? [],
            r.Categories, r.SubLabels, r.MaxSeverity, r.TopScore,
            new Versions(r.LexiconVersion, r.ModelVersion, r.PolicyVersion),
            AuditLog.Utc(r.ClassifiedAt), AuditLog.Utc(r.CreatedAt), (long)Math.Max(0, (now - AuditLog.Utc(r.CreatedAt)).TotalSeconds),
            new ReviewState(r.Status, r.ClaimedBy, Opt(r.ClaimExpiresAt), r.DecidedBy, Opt(r.DecidedAt), r.DecisionReason,
                r.EscalatedBy, Opt(r.EscalatedAt), r.EscalationReason, r.Notes),
            new RecordMetadata(r.AuthorId, r.SourceIp, r.SourcePort, AuditLog.Utc(r.PublishedAt), Opt(r.EditedAt), AuditLog.Utc(r.ReceivedAt),
                r.Urls, r.ContentSha256),
            previous.Select(p => new PreviousDecision(p.DecisionId, p.ContentId, p.Version, p.Action, p.Categories, AuditLog.Utc(p.DecidedAt),
                p.ReviewStatus, p.ReviewedBy, Opt(p.ReviewedAt))).ToList());
    }

    private static DateTimeOffset? Opt(DateTime? t) => t is { } v ? AuditLog.Utc(v) : null;

    private sealed class Row
    {
        public Guid DecisionId { get; set; }
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string ServiceType { get; set; } = "";
        public int[] Categories { get; set; } = [];
        public string[] SubLabels { get; set; } = [];
        public int MaxSeverity { get; set; }
        public double TopScore { get; set; }
        public string Status { get; set; } = "";
        public string? ClaimedBy { get; set; }
        public DateTime? ClaimExpiresAt { get; set; }
        public DateTime CreatedAt { get; set; }
        public string? DecidedBy { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? DecisionReason { get; set; }
        public string? EscalatedBy { get; set; }
        public DateTime? EscalatedAt { get; set; }
        public string? EscalationReason { get; set; }
        public string? Notes { get; set; }
        public string AuthorId { get; set; } = "";
        public string? Title { get; set; }
        public string Body { get; set; } = "";
        public string[] Urls { get; set; } = [];
        public DateTime PublishedAt { get; set; }
        public DateTime? EditedAt { get; set; }
        public string SourceIp { get; set; } = "";
        public int? SourcePort { get; set; }
        public DateTime ReceivedAt { get; set; }
        public string ContentSha256 { get; set; } = "";
        public string Hits { get; set; } = "[]";
        public string Scores { get; set; } = "[]";
        public string Reasons { get; set; } = "[]";
        public string LexiconVersion { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string PolicyVersion { get; set; } = "";
        public DateTime ClassifiedAt { get; set; }
    }

    private sealed class PreviousRow
    {
        public Guid DecisionId { get; set; }
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string Action { get; set; } = "";
        public int[] Categories { get; set; } = [];
        public DateTime DecidedAt { get; set; }
        public string? ReviewStatus { get; set; }
        public string? ReviewedBy { get; set; }
        public DateTime? ReviewedAt { get; set; }
    }
}
