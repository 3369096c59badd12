using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Moderation.Review.Data;

public sealed record QueueQuery(
    string Status,
    string Sort,
    int? Category,
    string? SubLabel,
    int? MinSeverity,
    string? Platform,
    string? ServiceType,
    TimeSpan? MinAge,
    TimeSpan? MaxAge,
    bool UnclaimedOnly,
    int Limit,
    QueueCursor? After);

/// <summary>Keyset position: the sort key of the last row seen. Opaque to clients (base64url).</summary>
public sealed record QueueCursor(int Severity, double Score, DateTime CreatedAt, Guid DecisionId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|',
        Severity.ToString(CultureInfo.InvariantCulture), Score.ToString("R", CultureInfo.InvariantCulture),
        CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), DecisionId.ToString("N"))));

    public static bool TryDecode(string text, out QueueCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts.Length != 4) return false;
            cursor = new QueueCursor(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                new DateTime(long.Parse(parts[2], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                Guid.ParseExact(parts[3], "N"));
            return true;
        }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
        catch (ArgumentException) { return false; }
    }
}

public sealed record QueueItem(
    Guid DecisionId, string Platform, string ContentId, long Version, string ServiceType,
    IReadOnlyList<int> Categories, IReadOnlyList<string> SubLabels, int MaxSeverity, double TopScore,
    string Status, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, DateTimeOffset CreatedAt, long AgeSeconds, string Excerpt);

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? NextCursor);

/// <summary>The queue listing: filters and keyset paging that stay index scans at 100k open items.</summary>
public sealed class QueueQueries(NpgsqlDataSource db, TimeProvider time)
{
    public const string SortSeverity = "severity";
    public const string SortAge = "age";

    public async Task<QueuePage> ListAsync(QueueQuery q, CancellationToken ct)
    {
        // The ORDER BY expressions match the keyset indexes of migration 0100 (one ascending key per sort).
        const string select = """
            SELECT q.decision_id AS DecisionId, q.platform AS Platform, q.content_id AS ContentId, q.version AS Version,
                   q.service_type AS ServiceType, q.categories AS Categories, q.sub_labels AS SubLabels,
                   q.max_severity AS MaxSeverity, q.top_score AS TopScore, q.status AS Status, q.claimed_by AS ClaimedBy,
                   q.claim_expires_at AS ClaimExpiresAt, q.created_at AS CreatedAt,
                   left(CASE WHEN coalesce(p.title, '') = '' THEN p.body ELSE p.title || ' / ' || p.body END, 160) AS Excerpt
            FROM quarantine q
            JOIN post_records p ON p.platform = q.platform AND p.content_id = q.content_id AND p.version = q.version
            WHERE q.status = @Status
            """;
        var now = time.GetUtcNow();
        var sql = new StringBuilder(select);
        var args = new DynamicParameters();
        args.Add("Status", q.Status);
        args.Add("Limit", q.Limit + 1);
        if (q.Category is { } category) { sql.Append(" AND q.categories @> ARRAY[@Category]::integer[]"); args.Add("Category", category); }
        if (q.SubLabel is { } subLabel) { sql.Append(" AND q.sub_labels @> ARRAY[@SubLabel]::text[]"); args.Add("SubLabel", subLabel); }
        if (q.MinSeverity is { } minSeverity) { sql.Append(" AND q.max_severity >= @MinSeverity"); args.Add("MinSeverity", minSeverity); }
        if (q.Platform is { } platform) { sql.Append(" AND q.platform = @Platform"); args.Add("Platform", platform); }
        if (q.ServiceType is { } serviceType) { sql.Append(" AND q.service_type = @ServiceType"); args.Add("ServiceType", serviceType); }
        if (q.MinAge is { } minAge) { sql.Append(" AND q.created_at <= @OlderThan"); args.Add("OlderThan", now - minAge); }
        if (q.MaxAge is { } maxAge) { sql.Append(" AND q.created_at >= @NewerThan"); args.Add("NewerThan", now - maxAge); }
        if (q.UnclaimedOnly) { sql.Append(" AND (q.claimed_by IS NULL OR q.claim_expires_at < @Now)"); args.Add("Now", now); }
        if (q.Sort == SortSeverity)
        {
            if (q.After is { } c)
            {
                sql.Append(" AND (-q.max_severity, -q.top_score, q.created_at, q.decision_id) > (@CSev, @CScore, @CAt, @CId)");
                args.Add("CSev", -c.Severity);
                args.Add("CScore", -c.Score);
                args.Add("CAt", c.CreatedAt);
                args.Add("CId", c.DecisionId);
            }
            sql.Append(" ORDER BY -q.max_severity, -q.top_score, q.created_at, q.decision_id LIMIT @Limit");
        }
        else
        {
            if (q.After is { } c)
            {
                sql.Append(" AND (q.created_at, q.decision_id) > (@CAt, @CId)");
                args.Add("CAt", c.CreatedAt);
                args.Add("CId", c.DecisionId);
            }
            sql.Append(" ORDER BY q.created_at, q.decision_id LIMIT @Limit");
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(sql.ToString(), args, cancellationToken: ct))).ToList();
        var more = rows.Count > q.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var items = rows.Select(r => new QueueItem(r.DecisionId, r.Platform, r.ContentId, r.Version, r.ServiceType, r.Categories, r.SubLabels,
            r.MaxSeverity, r.TopScore, r.Status, r.ClaimedBy, r.ClaimExpiresAt is { } e ? AuditLog.Utc(e) : null, AuditLog.Utc(r.CreatedAt),
            (long)Math.Max(0, (now - AuditLog.Utc(r.CreatedAt)).TotalSeconds), r.Excerpt)).ToList();
        var last = rows.LastOrDefault();
        return new QueuePage(items, more && last is not null
            ? new QueueCursor(last.MaxSeverity, last.TopScore, DateTime.SpecifyKind(last.CreatedAt, DateTimeKind.Utc), last.DecisionId).Encode()
            : null);
    }

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
        public string Excerpt { get; set; } = "";
    }
}
