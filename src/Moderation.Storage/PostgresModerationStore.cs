using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Storage.Ledger;
using Npgsql;

namespace Moderation.Storage;

/// <summary>
/// PostgreSQL store. A batch is written with one INSERT per table over unnest()ed arrays (Dapper given
/// a list would run one statement per row), so the cost of a save is per batch, not per post.
/// </summary>
public sealed class PostgresModerationStore(NpgsqlDataSource dataSource, TimeProvider? time = null) : IModerationStore
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct)
    {
        if (posts.Count == 0)
            return [];
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var r = posts.Select(p => p.Record).ToArray();
        // The key table is the idempotency gate (post_records is partitioned by day, so its own primary key includes the
        // day): a key inserted now is a new record; the first occurrence of a key repeated in the batch is the one kept.
        var inserted = (await conn.QueryAsync<(string Platform, string ContentId, long Version)>(new CommandDefinition("""
            WITH u AS (
                SELECT DISTINCT ON (platform, content_id, version) *
                FROM unnest(@Platform, @ContentId, @Version, @ServiceType, @AuthorId, @Title, @Body, @Urls,
                            @PublishedAt, @EditedAt, @SourceIp, @SourcePort, @ReceivedAt, @Sha, @RetainUntil, @LegalHold) WITH ORDINALITY
                     AS u(platform, content_id, version, service_type, author_id, title, body, urls,
                          published_at, edited_at, source_ip, source_port, received_at, content_sha256, retain_until, legal_hold, n)
                ORDER BY platform, content_id, version, n),
            k AS (
                INSERT INTO post_record_keys (platform, content_id, version)
                SELECT platform, content_id, version FROM u
                ON CONFLICT DO NOTHING
                RETURNING platform, content_id, version)
            INSERT INTO post_records (platform, content_id, version, service_type, author_id, title, body, urls,
                published_at, edited_at, source_ip, source_port, received_at, content_sha256, retain_until, legal_hold, record_day)
            SELECT u.platform, u.content_id, u.version, u.service_type, u.author_id, u.title, u.body,
                   ARRAY(SELECT jsonb_array_elements_text(u.urls::jsonb)),
                   u.published_at, u.edited_at, u.source_ip::inet, u.source_port, u.received_at, u.content_sha256,
                   u.retain_until, u.legal_hold, (u.received_at AT TIME ZONE 'UTC')::date
            FROM u JOIN k ON k.platform = u.platform AND k.content_id = u.content_id AND k.version = u.version
            RETURNING platform, content_id, version
            """, new
        {
            Platform = r.Select(x => x.Platform).ToArray(),
            ContentId = r.Select(x => x.ContentId).ToArray(),
            Version = r.Select(x => x.Version).ToArray(),
            ServiceType = r.Select(x => x.ServiceType).ToArray(),
            AuthorId = r.Select(x => x.AuthorId).ToArray(),
            Title = r.Select(x => x.Title).ToArray(),
            Body = r.Select(x => x.Body).ToArray(),
            Urls = r.Select(x => JsonSerializer.Serialize(x.Urls, Json)).ToArray(),
            PublishedAt = r.Select(x => x.PublishedAt.UtcDateTime).ToArray(),
            EditedAt = r.Select(x => x.EditedAt?.UtcDateTime).ToArray(),
            SourceIp = r.Select(x => x.SourceIp).ToArray(),
            SourcePort = r.Select(x => x.SourcePort).ToArray(),
            ReceivedAt = r.Select(x => x.ReceivedAt.UtcDateTime).ToArray(),
            Sha = r.Select(x => x.ContentSha256).ToArray(),
            RetainUntil = r.Select(x => x.RetainUntil.UtcDateTime).ToArray(),
            // Clause 3: what was blocked is evidence; it survives the retention purge until released by an operator.
            LegalHold = posts.Select(p => p.Decision.Action == ModerationActions.Block).ToArray(),
        }, tx, cancellationToken: ct))).ToHashSet();

        // The same key twice in one batch: only the first occurrence is new.
        var fresh = new List<ModeratedPost>();
        var isFresh = new bool[posts.Count];
        for (var i = 0; i < posts.Count; i++)
        {
            var key = (posts[i].Record.Platform, posts[i].Record.ContentId, posts[i].Record.Version);
            if (inserted.Remove(key))
            {
                fresh.Add(posts[i]);
                isFresh[i] = true;
            }
        }

        if (fresh.Count > 0)
        {
            await InsertDecisionsAsync(conn, tx, fresh, ct);
            // Chained in this transaction: no moment exists where a record is stored and not in the ledger.
            await PostgresLedger.AppendAsync(conn, tx, PendingEntry.For(fresh), _time.GetUtcNow(), ct);
        }

        var existing = new Dictionary<(string, string, long), SaveOutcome>();
        var stale = posts.Where((_, i) => !isFresh[i]).Select(p => p.Record).ToArray();
        if (stale.Length > 0)
        {
            var rows = await conn.QueryAsync<StoredRow>(new CommandDefinition("""
                SELECT d.platform, d.content_id AS ContentId, d.version, d.evidence_json AS EvidenceJson,
                       d.evidence_sha256 AS EvidenceSha256, c.due_at AS DueAt
                FROM decisions d
                JOIN unnest(@Platform, @ContentId, @Version) AS k(platform, content_id, version)
                  ON d.platform = k.platform AND d.content_id = k.content_id AND d.version = k.version
                LEFT JOIN report_cases c ON c.decision_id = d.decision_id
                """, new
            {
                Platform = stale.Select(x => x.Platform).ToArray(),
                ContentId = stale.Select(x => x.ContentId).ToArray(),
                Version = stale.Select(x => x.Version).ToArray(),
            }, tx, cancellationToken: ct));
            foreach (var row in rows)
                existing[(row.Platform, row.ContentId, row.Version)] = new SaveOutcome(row.ToPost(), false);
        }

        await tx.CommitAsync(ct);

        var outcomes = new SaveOutcome[posts.Count];
        for (var i = 0; i < posts.Count; i++)
        {
            var rec = posts[i].Record;
            outcomes[i] = isFresh[i]
                ? new SaveOutcome(posts[i], true)
                : existing.TryGetValue((rec.Platform, rec.ContentId, rec.Version), out var stored)
                    ? stored
                    : throw new InvalidOperationException($"Record {rec.Platform}/{rec.ContentId}/{rec.Version} exists without a decision.");
        }
        return outcomes;
    }

    private static async Task InsertDecisionsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<ModeratedPost> fresh, CancellationToken ct)
    {
        var d = fresh.Select(p => p.Decision).ToArray();
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO decisions (decision_id, platform, content_id, version, action, categories, scores, hits, reasons,
                lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256)
            SELECT u.decision_id, u.platform, u.content_id, u.version, u.action, u.categories::integer[],
                   e.doc #> '{decision,scores}', e.doc #> '{decision,hits}', e.doc #> '{decision,reasons}',
                   u.lexicon_version, u.model_version, u.policy_version, u.decided_at, u.evidence_json, u.evidence_sha256
            FROM unnest(@DecisionId, @Platform, @ContentId, @Version, @Action, @Categories,
                        @LexiconVersion, @ModelVersion, @PolicyVersion, @DecidedAt, @EvidenceJson, @EvidenceSha256)
                 AS u(decision_id, platform, content_id, version, action, categories,
                      lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256)
                 -- The snapshot already holds scores, hits and reasons as JSON: let the server take them from it
                 -- rather than serialising them a second time here.
                 CROSS JOIN LATERAL (SELECT u.evidence_json::jsonb AS doc) e
            """, new
        {
            DecisionId = d.Select(x => x.DecisionId).ToArray(),
            Platform = fresh.Select(p => p.Record.Platform).ToArray(),
            ContentId = fresh.Select(p => p.Record.ContentId).ToArray(),
            Version = fresh.Select(p => p.Record.Version).ToArray(),
            Action = d.Select(x => x.Action).ToArray(),
            Categories = d.Select(x => PostgresValues.IntArray(x.Categories)).ToArray(),
            LexiconVersion = d.Select(x => x.LexiconVersion).ToArray(),
            ModelVersion = d.Select(x => x.ModelVersion).ToArray(),
            PolicyVersion = d.Select(x => x.PolicyVersion).ToArray(),
            DecidedAt = d.Select(x => x.DecidedAt.UtcDateTime).ToArray(),
            EvidenceJson = fresh.Select(p => p.EvidenceJson).ToArray(),
            EvidenceSha256 = fresh.Select(p => p.EvidenceSha256).ToArray(),
        }, tx, cancellationToken: ct));

        var held = fresh.Where(p => p.Decision.Action == ModerationActions.Quarantine).ToArray();
        if (held.Length > 0)
        {
            var summaries = held.Select(p => QuarantineSummary.From(p.Decision)).ToArray();
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO quarantine (decision_id, platform, content_id, version, service_type, categories, sub_labels,
                    max_severity, top_score, created_at)
                SELECT u.decision_id, u.platform, u.content_id, u.version, u.service_type, u.categories::integer[],
                       u.sub_labels::text[], u.max_severity, u.top_score, u.created_at
                FROM unnest(@DecisionId, @Platform, @ContentId, @Version, @ServiceType, @Categories, @SubLabels,
                            @MaxSeverity, @TopScore, @CreatedAt)
                     AS u(decision_id, platform, content_id, version, service_type, categories, sub_labels,
                          max_severity, top_score, created_at)
                """, new
            {
                DecisionId = held.Select(p => p.Decision.DecisionId).ToArray(),
                Platform = held.Select(p => p.Record.Platform).ToArray(),
                ContentId = held.Select(p => p.Record.ContentId).ToArray(),
                Version = held.Select(p => p.Record.Version).ToArray(),
                ServiceType = held.Select(p => p.Record.ServiceType).ToArray(),
                Categories = held.Select(p => PostgresValues.IntArray(p.Decision.Categories)).ToArray(),
                SubLabels = summaries.Select(s => PostgresValues.TextArray(s.SubLabels)).ToArray(),
                MaxSeverity = summaries.Select(s => s.MaxSeverity).ToArray(),
                TopScore = summaries.Select(s => s.TopScore).ToArray(),
                CreatedAt = held.Select(p => p.Decision.DecidedAt.UtcDateTime).ToArray(),
            }, tx, cancellationToken: ct));
        }

        var blocked = fresh.Where(p => p.Decision.Action == ModerationActions.Block)
            .Select(p => (TakedownOrder.Automatic(p.Record, p.Decision), p.ReportDueAt)).ToArray();
        await PostgresTakedowns.OpenAsync(conn, tx, blocked, ct);
    }

    public async Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE takedowns SET completed_at = COALESCE(completed_at, @At)
            WHERE platform = @Platform AND content_id = @ContentId
              AND (@Version::bigint IS NULL OR version = @Version)
              AND (@TakedownId::uuid IS NULL OR takedown_id = @TakedownId)
            """, new { Platform = platform, ContentId = contentId, Version = version, TakedownId = takedownId, At = completedAt.UtcDateTime }, cancellationToken: ct));
        return rows > 0;
    }

    public async Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition("""
            SELECT d.platform, d.content_id AS ContentId, d.version, d.evidence_json AS EvidenceJson,
                   d.evidence_sha256 AS EvidenceSha256, c.due_at AS DueAt
            FROM decisions d LEFT JOIN report_cases c ON c.decision_id = d.decision_id
            WHERE d.platform = @Platform AND d.content_id = @ContentId AND d.version = @Version
            """, new { Platform = platform, ContentId = contentId, Version = version }, cancellationToken: ct));
        return row?.ToPost();
    }

    public async Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var at = await conn.QuerySingleOrDefaultAsync<DateTime?>(new CommandDefinition(
            "SELECT max(completed_at) FROM takedowns WHERE decision_id = @Id", new { Id = decisionId }, cancellationToken: ct));
        return at is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
    }

    private const string RecordFilter = """
        r.platform = @Platform
          AND (@AuthorId::text IS NULL OR r.author_id = @AuthorId)
          AND (@ContentId::text IS NULL OR r.content_id = @ContentId)
          AND (@From::timestamptz IS NULL OR r.published_at >= @From)
          AND (@To::timestamptz IS NULL OR r.published_at < @To)
        """;

    private static object Filter(RecordQuery q) => new
    {
        q.Platform, q.AuthorId, q.ContentId, From = q.From?.UtcDateTime, To = q.To?.UtcDateTime, q.Limit,
    };

    public async IAsyncEnumerable<ProducedRecord> ProduceAsync(RecordQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = conn.QueryUnbufferedAsync<ProducedRow>($"""
            SELECT d.evidence_json AS EvidenceJson, d.evidence_sha256 AS EvidenceSha256, c.due_at AS DueAt, r.legal_hold AS LegalHold
            FROM post_records r
            JOIN decisions d USING (platform, content_id, version)
            LEFT JOIN report_cases c ON c.decision_id = d.decision_id
            WHERE {RecordFilter}
            ORDER BY r.published_at, r.content_id, r.version
            LIMIT @Limit
            """, Filter(query));
        await foreach (var r in rows.WithCancellation(ct))
        {
            // The driver may hand buffered rows over without looking at the token: look at it per row.
            ct.ThrowIfCancellationRequested();
            yield return Produced(r.EvidenceJson, r.EvidenceSha256, PostgresValues.Utc(r.DueAt), r.LegalHold);
        }
    }

    private sealed class ProducedRow
    {
        public string EvidenceJson { get; set; } = "";
        public string EvidenceSha256 { get; set; } = "";
        public DateTime? DueAt { get; set; }
        public bool LegalHold { get; set; }
    }

    public async Task<int> PlaceLegalHoldAsync(RecordQuery query, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            $"UPDATE post_records r SET legal_hold = true WHERE {RecordFilter}", Filter(query), cancellationToken: ct));
    }

    /// <summary>Reads a stored snapshot back and re-checks its hash, so a produced record shows whether it was altered.</summary>
    internal static ProducedRecord Produced(string evidenceJson, string evidenceSha256, DateTimeOffset? dueAt, bool legalHold)
    {
        var (record, decision) = EvidenceSnapshot.Read(evidenceJson);
        var post = new ModeratedPost(record, decision, evidenceJson, evidenceSha256, dueAt ?? decision.DecidedAt);
        return new ProducedRecord(post, Moderation.Core.Posts.PostIntake.Sha256Hex(evidenceJson) == evidenceSha256, legalHold);
    }

    /// <summary>
    /// Retention by day (migration 0320): makes sure the next days have their partitions, then drops every past day
    /// whose unheld rows have all expired (held rows move to the kept partition first) and deletes expired rows outside
    /// the day partitions; every ledger entry of what goes is written to the deletion log, so the chain still verifies.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await EnsurePartitionsAsync(conn, DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1), 4, ct);
        return (int)await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT purge_expired_records(@Now)", new { Now = now.UtcDateTime }, cancellationToken: ct));
    }

    /// <summary>Creates the day partitions [from, from + days) that are missing (a day whose rows already went to the default partition is left there).</summary>
    public async Task<int> EnsurePartitionsAsync(DateOnly from, int days, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await EnsurePartitionsAsync(conn, from, days, ct);
    }

    private static Task<int> EnsurePartitionsAsync(NpgsqlConnection conn, DateOnly from, int days, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT ensure_record_partitions(@From::date, @Days)",
            new { From = from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Days = days }, cancellationToken: ct));

    private sealed record StoredRow(string Platform, string ContentId, long Version, string EvidenceJson, string EvidenceSha256, DateTime? DueAt)
    {
        public ModeratedPost ToPost()
        {
            var (record, decision) = EvidenceSnapshot.Read(EvidenceJson);
            var due = DueAt is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : decision.DecidedAt;
            return new ModeratedPost(record, decision, EvidenceJson, EvidenceSha256, due);
        }
    }
}
