using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dapper;
using Moderation.Contracts;
using Moderation.Core.Posts;
using Npgsql;

namespace Moderation.Storage.Review;

/// <summary>The moderators' reads on PostgreSQL.</summary>
public sealed class PostgresReviewQueue(NpgsqlDataSource db, TimeProvider time) : IReviewQueue
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<QueuePage> ListAsync(QueueQuery q, CancellationToken ct)
    {
        // The ORDER BY expressions match the keyset indexes of migrations 0100 and 0110 (one ascending key per sort).
        // The page's rows are chosen from quarantine alone, then joined to their records (51 lookups).
        var now = time.GetUtcNow();
        var bySubLabel = q.SubLabel is not null && q.Sort == QueueQuery.SortSeverity;
        var filter = new StringBuilder("q.status = @Status");
        var args = new DynamicParameters();
        args.Add("Status", q.Status);
        args.Add("Limit", q.Limit + 1);
        if (q.Category is { } category)
        {
            // With a sub-label the category is a plain filter ("IS TRUE" keeps its GIN index out of the plan): the
            // two are correlated (a sub-label belongs to one category), and combining their index estimates as if
            // independent led the planner to read every row of the sub-label instead of the first 51 in order.
            filter.Append(bySubLabel ? " AND (q.categories @> ARRAY[@Category]::integer[]) IS TRUE" : " AND q.categories @> ARRAY[@Category]::integer[]");
            args.Add("Category", category);
        }
        if (q.SubLabel is { } subLabel) { filter.Append(" AND q.sub_labels @> ARRAY[@SubLabel]::text[]"); args.Add("SubLabel", subLabel); }
        if (q.MinSeverity is { } minSeverity) { filter.Append(" AND q.max_severity >= @MinSeverity"); args.Add("MinSeverity", minSeverity); }
        if (q.Platform is { } platform) { filter.Append(" AND q.platform = @Platform"); args.Add("Platform", platform); }
        if (q.ServiceType is { } serviceType) { filter.Append(" AND q.service_type = @ServiceType"); args.Add("ServiceType", serviceType); }
        if (q.MinAge is { } minAge) { filter.Append(" AND q.created_at <= @OlderThan"); args.Add("OlderThan", now - minAge); }
        if (q.MaxAge is { } maxAge) { filter.Append(" AND q.created_at >= @NewerThan"); args.Add("NewerThan", now - maxAge); }
        if (q.UnclaimedOnly) { filter.Append(" AND (q.claimed_by IS NULL OR q.claim_expires_at < @Now)"); args.Add("Now", now); }
        string order;
        if (q.Sort == QueueQuery.SortSeverity)
        {
            if (q.After is { } c)
            {
                filter.Append(" AND (-q.max_severity, -q.top_score, q.created_at, q.decision_id) > (@CSev, @CScore, @CAt, @CId)");
                args.Add("CSev", -c.Severity);
                args.Add("CScore", -c.Score);
                args.Add("CAt", c.CreatedAt);
                args.Add("CId", c.DecisionId);
            }
            order = "-q.max_severity, -q.top_score, q.created_at, q.decision_id";
        }
        else
        {
            if (q.After is { } c)
            {
                filter.Append(" AND (q.created_at, q.decision_id) > (@CAt, @CId)");
                args.Add("CAt", c.CreatedAt);
                args.Add("CId", c.DecisionId);
            }
            order = "q.created_at, q.decision_id";
        }
        // A sub-label's items cluster at one severity, so the severity keyset index would be walked past most of the
        // queue to find them. Instead: the items whose first sub-label it is, in page order from their own index,
        // plus the few with several sub-labels where it is not the first ("+ 0" keeps that branch off the
        // severity index; their GIN index finds them), merged.
        var candidates = bySubLabel
            ? $"""
                SELECT * FROM (
                    (SELECT * FROM quarantine q WHERE {filter} AND q.sub_labels[1] = @SubLabel ORDER BY {order} LIMIT @Limit)
                    UNION ALL
                    (SELECT * FROM quarantine q WHERE {filter} AND cardinality(q.sub_labels) > 1 AND q.sub_labels[1] <> @SubLabel
                     ORDER BY -q.max_severity + 0, -q.top_score, q.created_at, q.decision_id LIMIT @Limit)) q
                ORDER BY {order} LIMIT @Limit
                """
            : $"SELECT * FROM quarantine q WHERE {filter} ORDER BY {order} LIMIT @Limit";
        var sql = $"""
            SELECT q.decision_id AS DecisionId, q.platform AS Platform, q.content_id AS ContentId, q.version AS Version,
                   q.service_type AS ServiceType, q.categories AS Categories, q.sub_labels AS SubLabels,
                   q.max_severity AS MaxSeverity, q.top_score AS TopScore, q.status AS Status, q.claimed_by AS ClaimedBy,
                   q.claim_expires_at AS ClaimExpiresAt, q.created_at AS CreatedAt,
                   left(CASE WHEN coalesce(p.title, '') = '' THEN p.body ELSE p.title || ' / ' || p.body END, 160) AS Excerpt
            FROM ({candidates}) q
            JOIN post_records p ON p.platform = q.platform AND p.content_id = q.content_id AND p.version = q.version
            ORDER BY {order}
            """;

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<QueueRow>(new CommandDefinition(sql, args, cancellationToken: ct));
        return QueuePage.From(rows.Select(r => new QueueItem(r.DecisionId, r.Platform, r.ContentId, r.Version, r.ServiceType, r.Categories, r.SubLabels,
            r.MaxSeverity, r.TopScore, r.Status, r.ClaimedBy, PostgresValues.Utc(r.ClaimExpiresAt), PostgresValues.Utc(r.CreatedAt),
            (long)Math.Max(0, (now - PostgresValues.Utc(r.CreatedAt)).TotalSeconds), r.Excerpt)).ToList(), q.Limit);
    }

    public async Task<ReviewItem?> GetAsync(Guid decisionId, CancellationToken ct)
    {
        // One round trip: the item, then the author's other non-pass decisions (newest 20).
        const string sql = """
            SELECT q.decision_id AS DecisionId, q.platform AS Platform, q.content_id AS ContentId, q.version AS Version,
                   q.service_type AS ServiceType, q.categories AS Categories, q.sub_labels AS SubLabels,
                   q.max_severity AS MaxSeverity, q.top_score AS TopScore, q.status AS Status, q.claimed_by AS ClaimedBy,
                   q.claim_expires_at AS ClaimExpiresAt, q.created_at AS CreatedAt, q.decided_by AS DecidedBy,
                   q.decided_at AS DecidedAt, q.decision_reason AS DecisionReason, q.escalated_by AS EscalatedBy,
                   q.escalated_at AS EscalatedAt, q.escalation_reason AS EscalationReason,
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

            SELECT note_id AS NoteId, author AS Author, written_at AS WrittenAt, text AS Text, kind AS Kind
            FROM review_notes
            WHERE decision_id = @Id
            ORDER BY note_id;
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { Id = decisionId }, cancellationToken: ct));
        var r = await grid.ReadSingleOrDefaultAsync<ItemRow>();
        var previous = (await grid.ReadAsync<PreviousRow>()).ToList();
        var notes = (await grid.ReadAsync<NoteRow>()).ToList();
        if (r is null) return null;

        var now = time.GetUtcNow();
        var created = PostgresValues.Utc(r.CreatedAt);
        return new ReviewItem(
            r.DecisionId, r.Platform, r.ContentId, r.Version, r.ServiceType, r.Title, r.Body, PostRecord.ComposeText(r.Title, r.Body),
            JsonSerializer.Deserialize<List<KeywordHit>>(r.Hits, Json) ?? [],
            JsonSerializer.Deserialize<List<CategoryScore>>(r.Scores, Json) ?? [],
            JsonSerializer.Deserialize<List<string>>(r.Reasons, Json) ?? [],
            r.Categories, r.SubLabels, r.MaxSeverity, r.TopScore,
            new Versions(r.LexiconVersion, r.ModelVersion, r.PolicyVersion),
            PostgresValues.Utc(r.ClassifiedAt), created, (long)Math.Max(0, (now - created).TotalSeconds),
            new ReviewState(r.Status, r.ClaimedBy, PostgresValues.Utc(r.ClaimExpiresAt), r.DecidedBy, PostgresValues.Utc(r.DecidedAt), r.DecisionReason,
                r.EscalatedBy, PostgresValues.Utc(r.EscalatedAt), r.EscalationReason,
                notes.Select(n => new ReviewNote(n.NoteId, n.Author, PostgresValues.Utc(n.WrittenAt), n.Text, n.Kind)).ToList()),
            new RecordMetadata(r.AuthorId, r.SourceIp, r.SourcePort, PostgresValues.Utc(r.PublishedAt), PostgresValues.Utc(r.EditedAt),
                PostgresValues.Utc(r.ReceivedAt), r.Urls, r.ContentSha256),
            previous.Select(p => new PreviousDecision(p.DecisionId, p.ContentId, p.Version, p.Action, p.Categories, PostgresValues.Utc(p.DecidedAt),
                p.ReviewStatus, p.ReviewedBy, PostgresValues.Utc(p.ReviewedAt))).ToList());
    }

    public async IAsyncEnumerable<DecidedItem> DecidedAsync(DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken ct)
    {
        const string sql = """
            SELECT q.decision_id AS DecisionId, q.status AS Status, q.categories AS Categories, p.title AS Title, p.body AS Body,
                   q.decided_at AS DecidedAt
            FROM quarantine q
            JOIN post_records p ON p.platform = q.platform AND p.content_id = q.content_id AND p.version = q.version
            WHERE q.status IN ('confirmed', 'released')
              AND (@From::timestamptz IS NULL OR q.decided_at >= @From)
              AND (@To::timestamptz IS NULL OR q.decided_at < @To)
            ORDER BY q.decided_at, q.decision_id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        // Unbuffered and asynchronous: each row is read from the server when the caller asks for it.
        await foreach (var r in conn.QueryUnbufferedAsync<DecidedRow>(sql, new { From = from?.UtcDateTime, To = to?.UtcDateTime }).WithCancellation(ct))
        {
            // The driver may hand buffered rows over without looking at the token: look at it per row.
            ct.ThrowIfCancellationRequested();
            yield return new DecidedItem(r.DecisionId, r.Status, r.Categories, r.Title, r.Body, PostgresValues.Utc(r.DecidedAt));
        }
    }

    private sealed class QueueRow
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
        public string Excerpt { get; set; } = "";
    }

    private sealed class ItemRow
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

    private sealed class DecidedRow
    {
        public Guid DecisionId { get; set; }
        public string Status { get; set; } = "";
        public int[] Categories { get; set; } = [];
        public string? Title { get; set; }
        public string Body { get; set; } = "";
        public DateTime DecidedAt { get; set; }
    }

    private sealed class NoteRow
    {
        public long NoteId { get; set; }
        public string Author { get; set; } = "";
        public DateTime WrittenAt { get; set; }
        public string Text { get; set; } = "";
        public string Kind { get; set; } = "";
    }

    public async Task<IReadOnlyList<OpenQueueStats>> OpenStatsAsync(CancellationToken ct)
    {
        // Served by the partial index quarantine_open_age_keyset (status, created_at).
        const string sql = """
            SELECT status AS Status, count(*) AS Count, min(created_at) AS Oldest
            FROM quarantine
            WHERE status IN ('pending', 'escalated')
            GROUP BY status
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Status, long Count, DateTime? Oldest)>(new CommandDefinition(sql, cancellationToken: ct));
        return rows.Select(r => new OpenQueueStats(r.Status, r.Count, r.Oldest is { } o ? new DateTimeOffset(DateTime.SpecifyKind(o, DateTimeKind.Utc)) : null)).ToList();
    }
}
