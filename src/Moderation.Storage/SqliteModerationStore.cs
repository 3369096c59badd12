using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Storage.Ledger;

namespace Moderation.Storage;

/// <summary>
/// The embedded default: a single SQLite file, so `dotnet run` needs nothing but the SDK. Row-at-a-time
/// inside one transaction per batch is fast enough in-process. Timestamps are stored as ISO-8601 UTC
/// text (SQLite has no date type), so they sort and compare as strings.
/// </summary>
public sealed class SqliteModerationStore(string connectionString, TimeProvider? time = null) : IModerationStore, IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public void Dispose() => _writer.Dispose();

    private static readonly JsonSerializerOptions Json = SqliteDatabase.Json;

    // SQLite allows one writer at a time; serialise here rather than surface SQLITE_BUSY to consumers.
    private readonly SemaphoreSlim _writer = new(1, 1);

    private static string Ts(DateTimeOffset t) => SqliteDatabase.Ts(t);

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => SqliteDatabase.OpenAsync(connectionString, ct);

    public async Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var conn = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
            var outcomes = new List<SaveOutcome>(posts.Count);
            foreach (var post in posts)
                outcomes.Add(await SaveOneAsync(conn, tx, post, ct));
            // Chained in this transaction: no moment exists where a record is stored and not in the ledger.
            await SqliteLedger.AppendAsync(conn, tx, PendingEntry.For(outcomes.Where(o => o.Inserted).Select(o => o.Stored)), _time.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
            return outcomes;
        }
        finally
        {
            _writer.Release();
        }
    }

    private static async Task<SaveOutcome> SaveOneAsync(SqliteConnection conn, SqliteTransaction tx, ModeratedPost post, CancellationToken ct)
    {
        var r = post.Record;
        var d = post.Decision;
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO post_records (platform, content_id, version, service_type, author_id, title, body, urls,
                published_at, edited_at, source_ip, source_port, received_at, content_sha256, retain_until, legal_hold)
            VALUES (@Platform, @ContentId, @Version, @ServiceType, @AuthorId, @Title, @Body, @Urls,
                @PublishedAt, @EditedAt, @SourceIp, @SourcePort, @ReceivedAt, @ContentSha256, @RetainUntil, @LegalHold)
            ON CONFLICT DO NOTHING
            """, new
        {
            r.Platform, r.ContentId, r.Version, r.ServiceType, r.AuthorId, r.Title, r.Body,
            Urls = JsonSerializer.Serialize(r.Urls, Json),
            PublishedAt = Ts(r.PublishedAt),
            EditedAt = r.EditedAt is { } e ? Ts(e) : null,
            r.SourceIp, r.SourcePort,
            ReceivedAt = Ts(r.ReceivedAt),
            r.ContentSha256,
            RetainUntil = Ts(r.RetainUntil),
            LegalHold = d.Action == ModerationActions.Block,
        }, tx, cancellationToken: ct));

        if (inserted == 0)
        {
            var row = await conn.QuerySingleAsync<StoredRow>(new CommandDefinition(SelectStored + " WHERE d.platform = @Platform AND d.content_id = @ContentId AND d.version = @Version",
                new { r.Platform, r.ContentId, r.Version }, tx, cancellationToken: ct));
            return new SaveOutcome(row.ToPost(), false);
        }

        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO decisions (decision_id, platform, content_id, version, action, categories, scores, hits, reasons,
                lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256)
            VALUES (@DecisionId, @Platform, @ContentId, @Version, @Action, @Categories, @Scores, @Hits, @Reasons,
                @LexiconVersion, @ModelVersion, @PolicyVersion, @DecidedAt, @EvidenceJson, @EvidenceSha256)
            """, new
        {
            DecisionId = d.DecisionId.ToString(), r.Platform, r.ContentId, r.Version, d.Action,
            Categories = JsonSerializer.Serialize(d.Categories, Json),
            Scores = JsonSerializer.Serialize(d.Scores, Json),
            Hits = JsonSerializer.Serialize(d.Hits, Json),
            Reasons = JsonSerializer.Serialize(d.Reasons, Json),
            d.LexiconVersion, d.ModelVersion, d.PolicyVersion,
            DecidedAt = Ts(d.DecidedAt),
            post.EvidenceJson, post.EvidenceSha256,
        }, tx, cancellationToken: ct));

        if (d.Action == ModerationActions.Quarantine)
        {
            var s = QuarantineSummary.From(d);
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO quarantine (decision_id, platform, content_id, version, service_type, categories, sub_labels,
                    max_severity, top_score, created_at)
                VALUES (@DecisionId, @Platform, @ContentId, @Version, @ServiceType, @Categories, @SubLabels,
                    @MaxSeverity, @TopScore, @CreatedAt)
                """, new
            {
                DecisionId = d.DecisionId.ToString(), r.Platform, r.ContentId, r.Version, r.ServiceType,
                Categories = JsonSerializer.Serialize(d.Categories, Json),
                SubLabels = JsonSerializer.Serialize(s.SubLabels, Json),
                s.MaxSeverity, s.TopScore,
                CreatedAt = Ts(d.DecidedAt),
            }, tx, cancellationToken: ct));
        }
        else if (d.Action == ModerationActions.Block)
        {
            await SqliteTakedowns.OpenAsync(conn, tx, TakedownOrder.Automatic(r, d), post.ReportDueAt, ct);
        }
        return new SaveOutcome(post, true);
    }

    private const string SelectStored = """
        SELECT d.platform AS Platform, d.content_id AS ContentId, d.version AS Version, d.evidence_json AS EvidenceJson,
               d.evidence_sha256 AS EvidenceSha256, c.due_at AS DueAt
        FROM decisions d LEFT JOIN report_cases c ON c.decision_id = d.decision_id
        """;

    public async Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var conn = await OpenAsync(ct);
            var rows = await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE takedowns SET completed_at = COALESCE(completed_at, @At)
                WHERE platform = @Platform AND content_id = @ContentId
                  AND (@Version IS NULL OR version = @Version)
                  AND (@TakedownId IS NULL OR takedown_id = @TakedownId)
                """, new { Platform = platform, ContentId = contentId, Version = version, TakedownId = takedownId?.ToString(), At = Ts(completedAt) }, cancellationToken: ct));
            return rows > 0;
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition(SelectStored + " WHERE d.platform = @Platform AND d.content_id = @ContentId AND d.version = @Version",
            new { Platform = platform, ContentId = contentId, Version = version }, cancellationToken: ct));
        return row?.ToPost();
    }

    public async Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var at = await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT max(completed_at) FROM takedowns WHERE decision_id = @Id", new { Id = SqliteDatabase.Id(decisionId) }, cancellationToken: ct));
        return at is null ? null : DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private const string RecordFilter = """
        r.platform = @Platform
          AND (@AuthorId IS NULL OR r.author_id = @AuthorId)
          AND (@ContentId IS NULL OR r.content_id = @ContentId)
          AND (@From IS NULL OR r.published_at >= @From)
          AND (@To IS NULL OR r.published_at < @To)
        """;

    private static object Filter(RecordQuery q) => new
    {
        q.Platform, q.AuthorId, q.ContentId, From = q.From is { } f ? Ts(f) : null, To = q.To is { } t ? Ts(t) : null, q.Limit,
    };

    public async IAsyncEnumerable<ProducedRecord> ProduceAsync(RecordQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = conn.QueryUnbufferedAsync<ProducedRow>($"""
            SELECT d.evidence_json AS EvidenceJson, d.evidence_sha256 AS EvidenceSha256, c.due_at AS DueAt, r.legal_hold AS LegalHold
            FROM post_records r
            JOIN decisions d ON d.platform = r.platform AND d.content_id = r.content_id AND d.version = r.version
            LEFT JOIN report_cases c ON c.decision_id = d.decision_id
            WHERE {RecordFilter}
            ORDER BY r.published_at, r.content_id, r.version
            LIMIT @Limit
            """, Filter(query));
        await foreach (var r in rows.WithCancellation(ct))
        {
            // The driver may hand buffered rows over without looking at the token: look at it per row.
            ct.ThrowIfCancellationRequested();
            yield return PostgresModerationStore.Produced(r.EvidenceJson, r.EvidenceSha256, SqliteDatabase.ParseOptionalTs(r.DueAt), r.LegalHold != 0);
        }
    }

    private sealed class ProducedRow
    {
        public string EvidenceJson { get; set; } = "";
        public string EvidenceSha256 { get; set; } = "";
        public string? DueAt { get; set; }
        public long LegalHold { get; set; }
    }

    public async Task<int> PlaceLegalHoldAsync(RecordQuery query, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var conn = await OpenAsync(ct);
            return await conn.ExecuteAsync(new CommandDefinition($"UPDATE post_records AS r SET legal_hold = 1 WHERE {RecordFilter}", Filter(query), cancellationToken: ct));
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            // The deletion log first (every ledger entry of what goes), then the delete, in one transaction.
            await using var conn = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
            var p = new { Now = Ts(now) };
            var doomed = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM post_records WHERE retain_until < @Now AND legal_hold = 0", p, tx, cancellationToken: ct));
            if (doomed == 0)
                return 0;
            const string doomedEntries = """
                FROM post_records r
                JOIN ledger_entries e ON e.platform = r.platform AND e.content_id = r.content_id AND e.version = r.version
                WHERE r.retain_until < @Now AND r.legal_hold = 0
                """;
            var entries = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) " + doomedEntries, p, tx, cancellationToken: ct));
            var purgeId = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO ledger_purges (purged_at, records, entries, method) VALUES (@Now, @Records, @Entries, 'delete') RETURNING purge_id",
                new { p.Now, Records = doomed, Entries = entries }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT OR IGNORE INTO ledger_deletions (platform, day, seq, entry_hash, purge_id) SELECT e.platform, e.day, e.seq, e.entry_hash, @PurgeId " + doomedEntries,
                new { p.Now, PurgeId = purgeId }, tx, cancellationToken: ct));
            var purged = await conn.ExecuteAsync(new CommandDefinition(
                "DELETE FROM post_records WHERE retain_until < @Now AND legal_hold = 0", p, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return purged;
        }
        finally
        {
            _writer.Release();
        }
    }

    // SQLite hands timestamps back as text: keep them as strings here and parse once.
    private sealed record StoredRow(string Platform, string ContentId, long Version, string EvidenceJson, string EvidenceSha256, string? DueAt)
    {
        public ModeratedPost ToPost()
        {
            var (record, decision) = EvidenceSnapshot.Read(EvidenceJson);
            var due = DueAt is null ? decision.DecidedAt : DateTimeOffset.Parse(DueAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return new ModeratedPost(record, decision, EvidenceJson, EvidenceSha256, due);
        }
    }
}
