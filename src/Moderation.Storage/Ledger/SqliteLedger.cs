using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Ledger;
using static Moderation.Storage.SqliteDatabase;

namespace Moderation.Storage.Ledger;

/// <summary>
/// The record ledger on the embedded default. Appends run inside the batch's write transaction (SQLite has one
/// writer at a time, and the batch's first statement already took the write lock), so the head read here is the
/// head no one else can move before this commits.
/// </summary>
public sealed class SqliteLedger(string connectionString) : ILedgerStore
{
    internal static async Task AppendAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<PendingEntry> entries, DateTimeOffset now, CancellationToken ct)
    {
        if (entries.Count == 0)
            return;
        var day = LedgerDays.Of(now);
        var dayText = LedgerDays.Text(day);
        var heads = new Dictionary<string, Head>(StringComparer.Ordinal);
        foreach (var platform in entries.Select(e => e.Platform).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            heads[platform] = await conn.QuerySingleAsync<Head>(new CommandDefinition("""
                INSERT INTO ledger_heads (platform, day) VALUES (@Platform, @Day)
                ON CONFLICT (platform, day) DO UPDATE SET last_seq = last_seq
                RETURNING platform AS Platform, last_seq AS LastSeq, last_hash AS LastHash, closed AS Closed
                """, new { Platform = platform, Day = dayText }, tx, cancellationToken: ct));
        }
        var at = Ts(now);
        foreach (var e in entries)
        {
            var head = heads[e.Platform];
            if (head.Closed != 0)
                throw new LedgerChainClosedException(head.Platform, day);
            head.LastSeq++;
            var hash = LedgerHash.Entry(head.LastHash, head.LastSeq, e.Canonical);
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO ledger_entries (platform, day, seq, kind, content_id, version, decision_id, prev_hash, entry_hash, appended_at)
                VALUES (@Platform, @Day, @Seq, @Kind, @ContentId, @Version, @DecisionId, @Prev, @Hash, @At)
                """, new
            {
                e.Platform, Day = dayText, Seq = head.LastSeq, e.Kind, e.ContentId, e.Version,
                DecisionId = e.DecisionId is { } id ? Id(id) : null, Prev = head.LastHash, Hash = hash, At = at,
            }, tx, cancellationToken: ct));
            head.LastHash = hash;
        }
        foreach (var head in heads.Values)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE ledger_heads SET last_seq = @LastSeq, last_hash = @LastHash WHERE platform = @Platform AND day = @Day",
                new { head.LastSeq, head.LastHash, head.Platform, Day = dayText }, tx, cancellationToken: ct));
        }
    }

    private sealed class Head
    {
        public string Platform { get; set; } = "";
        public long LastSeq { get; set; }
        public string LastHash { get; set; } = "";
        public long Closed { get; set; }
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => SqliteDatabase.OpenAsync(connectionString, ct);

    public async Task<IReadOnlyList<LedgerChain>> ChainsAsync(string? platform, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = await conn.QueryAsync<ChainRow>(new CommandDefinition("""
            SELECT platform AS Platform, day AS Day, last_seq AS Entries, closed AS Closed FROM ledger_heads
            WHERE (@Platform IS NULL OR platform = @Platform) AND (@From IS NULL OR day >= @From) AND (@To IS NULL OR day <= @To)
            ORDER BY platform, day
            """, new { Platform = platform, From = from is { } f ? LedgerDays.Text(f) : null, To = to is { } t ? LedgerDays.Text(t) : null }, cancellationToken: ct));
        return rows.Select(r => r.ToChain()).ToList();
    }

    public async Task<IReadOnlyList<LedgerChain>> DueForSealAsync(DateOnly beforeDay, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = await conn.QueryAsync<ChainRow>(new CommandDefinition("""
            SELECT platform AS Platform, day AS Day, last_seq AS Entries, closed AS Closed FROM ledger_heads
            WHERE closed = 0 AND day < @Before ORDER BY day, platform
            """, new { Before = LedgerDays.Text(beforeDay) }, cancellationToken: ct));
        return rows.Select(r => r.ToChain()).ToList();
    }

    private sealed class ChainRow
    {
        public string Platform { get; set; } = "";
        public string Day { get; set; } = "";
        public long Entries { get; set; }
        public long Closed { get; set; }

        public LedgerChain ToChain() => new(Platform, LedgerDays.Parse(Day), Entries, Closed != 0);
    }

    public async Task<ChainInput> ReadChainAsync(string platform, DateOnly day, CancellationToken ct)
    {
        var p = new { Platform = platform, Day = LedgerDays.Text(day) };
        await using var conn = await OpenAsync(ct);
        // One read transaction: a consistent snapshot of the chain and its rows while a worker keeps writing.
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var entries = (await conn.QueryAsync<EntryRow>(new CommandDefinition("""
            SELECT seq AS Seq, kind AS Kind, content_id AS ContentId, version AS Version, decision_id AS DecisionId,
                   prev_hash AS PrevHash, entry_hash AS EntryHash
            FROM ledger_entries WHERE platform = @Platform AND day = @Day ORDER BY seq
            """, p, tx, cancellationToken: ct))).ToList();
        var records = (await conn.QueryAsync<RecordRow>(new CommandDefinition("""
            SELECT r.platform AS Platform, r.content_id AS ContentId, r.version AS Version, r.service_type AS ServiceType, r.author_id AS AuthorId,
                   r.title AS Title, r.body AS Body, r.urls AS Urls, r.published_at AS PublishedAt, r.source_ip AS SourceIp,
                   r.source_port AS SourcePort, r.content_sha256 AS ContentSha256
            FROM ledger_entries e JOIN post_records r ON r.platform = e.platform AND r.content_id = e.content_id AND r.version = e.version
            WHERE e.platform = @Platform AND e.day = @Day AND e.kind = 'record'
            """, p, tx, cancellationToken: ct))).ToDictionary(r => (r.ContentId, r.Version));
        var decisions = (await conn.QueryAsync<DecisionRow>(new CommandDefinition("""
            SELECT d.platform AS Platform, d.content_id AS ContentId, d.version AS Version, d.decision_id AS DecisionId, d.action AS Action,
                   d.categories AS Categories, d.lexicon_version AS LexiconVersion, d.model_version AS ModelVersion,
                   d.policy_version AS PolicyVersion, d.decided_at AS DecidedAt, d.evidence_json AS EvidenceJson, d.evidence_sha256 AS EvidenceSha256
            FROM ledger_entries e JOIN decisions d ON d.platform = e.platform AND d.content_id = e.content_id AND d.version = e.version
            WHERE e.platform = @Platform AND e.day = @Day AND e.kind = 'decision'
            """, p, tx, cancellationToken: ct))).ToDictionary(d => (d.ContentId, d.Version));
        var reviews = (await conn.QueryAsync<ReviewRow>(new CommandDefinition("""
            SELECT q.platform AS Platform, q.content_id AS ContentId, q.version AS Version, q.decision_id AS DecisionId, q.status AS Status,
                   q.categories AS Categories, q.decided_by AS DecidedBy, q.decided_at AS DecidedAt, q.decision_reason AS Reason
            FROM ledger_entries e JOIN quarantine q ON q.decision_id = e.decision_id
            WHERE e.platform = @Platform AND e.day = @Day AND e.kind = 'review'
            """, p, tx, cancellationToken: ct))).ToDictionary(q => q.DecisionId, StringComparer.Ordinal);
        var purged = (await conn.QueryAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, entry_hash FROM ledger_deletions WHERE platform = @Platform AND day = @Day", p, tx, cancellationToken: ct)))
            .ToDictionary(x => x.Seq, x => x.Hash);
        var root = await conn.QuerySingleOrDefaultAsync<RootRow>(new CommandDefinition(SelectRoot + " WHERE platform = @Platform AND day = @Day", p, tx, cancellationToken: ct));
        var closed = await conn.QuerySingleOrDefaultAsync<long>(new CommandDefinition(
            "SELECT closed FROM ledger_heads WHERE platform = @Platform AND day = @Day", p, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);

        var chained = entries.Select(e =>
        {
            var subject = LedgerSubjects.Record(platform, e.ContentId, e.Version);
            return e.Kind switch
            {
                LedgerCanonical.RecordKind => new ChainEntry(e.Seq, e.Kind, subject, e.PrevHash, e.EntryHash,
                    records.TryGetValue((e.ContentId, e.Version), out var r) ? r.ToRow().Canonical() : null),
                LedgerCanonical.DecisionKind => decisions.TryGetValue((e.ContentId, e.Version), out var d)
                    ? new ChainEntry(e.Seq, e.Kind, "decision on " + subject, e.PrevHash, e.EntryHash, d.ToRow().Canonical(),
                        Core.Posts.PostIntake.Sha256Hex(d.EvidenceJson) == d.EvidenceSha256 ? null : "its evidence snapshot no longer matches the snapshot's hash")
                    : new ChainEntry(e.Seq, e.Kind, "decision on " + subject, e.PrevHash, e.EntryHash, null),
                _ => new ChainEntry(e.Seq, e.Kind, "moderator decision on " + subject, e.PrevHash, e.EntryHash,
                    e.DecisionId is { } id && reviews.TryGetValue(id, out var q) ? q.ToRow().Canonical() : null),
            };
        }).ToList();
        return new ChainInput(platform, day, chained, purged, root?.ToSigned(), closed != 0);
    }

    public async Task<IReadOnlyList<UnchainedRow>> UnchainedAsync(string? platform, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = await conn.QueryAsync<(string Kind, string Platform, string ContentId, long Version)>(new CommandDefinition("""
            SELECT 'record' AS kind, r.platform, r.content_id, r.version FROM post_records r
            WHERE (@Platform IS NULL OR r.platform = @Platform)
              AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.platform = r.platform AND e.content_id = r.content_id
                              AND e.version = r.version AND e.kind = 'record')
              AND NOT EXISTS (SELECT 1 FROM ledger_preexisting x WHERE x.platform = r.platform AND x.content_id = r.content_id AND x.version = r.version)
            UNION ALL
            SELECT 'decision', d.platform, d.content_id, d.version FROM decisions d
            WHERE (@Platform IS NULL OR d.platform = @Platform)
              AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.platform = d.platform AND e.content_id = d.content_id
                              AND e.version = d.version AND e.kind = 'decision')
              AND NOT EXISTS (SELECT 1 FROM ledger_preexisting x WHERE x.platform = d.platform AND x.content_id = d.content_id AND x.version = d.version)
            ORDER BY 2, 3, 4, 1 DESC
            """, new { Platform = platform }, cancellationToken: ct));
        return rows.Select(r => new UnchainedRow(r.Kind, (r.Kind == "record" ? "" : "decision on ") + LedgerSubjects.Record(r.Platform, r.ContentId, r.Version))).ToList();
    }

    public async Task<SignedRoot?> SealAsync(string platform, DateOnly day, LedgerSigner signer, DateTimeOffset now, CancellationToken ct)
    {
        var p = new { Platform = platform, Day = LedgerDays.Text(day) };
        await using var conn = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        // A write first, so this transaction holds SQLite's write lock before it reads the head.
        var head = await conn.QuerySingleOrDefaultAsync<Head>(new CommandDefinition("""
            UPDATE ledger_heads SET closed = closed WHERE platform = @Platform AND day = @Day
            RETURNING platform AS Platform, last_seq AS LastSeq, last_hash AS LastHash, closed AS Closed
            """, p, tx, cancellationToken: ct));
        if (head is null)
            return null;
        if (head.Closed == 0)
        {
            var signed = signer.Sign(new DailyRoot(platform, day, head.LastSeq, head.LastHash), now);
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE ledger_heads SET closed = 1 WHERE platform = @Platform AND day = @Day;
                INSERT INTO ledger_roots (platform, day, entries, last_hash, signature, key_id, signed_at)
                VALUES (@Platform, @Day, @Entries, @LastHash, @Signature, @KeyId, @SignedAt);
                """, new { p.Platform, p.Day, Entries = head.LastSeq, head.LastHash, signed.Signature, signed.KeyId, SignedAt = Ts(now) }, tx, cancellationToken: ct));
        }
        var root = await conn.QuerySingleOrDefaultAsync<RootRow>(new CommandDefinition(SelectRoot + " WHERE platform = @Platform AND day = @Day", p, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return root?.ToSigned();
    }

    private const string SelectRoot = """
        SELECT platform AS Platform, day AS Day, entries AS Entries, last_hash AS LastHash, signature AS Signature, key_id AS KeyId, signed_at AS SignedAt
        FROM ledger_roots
        """;

    public async Task<IReadOnlyList<SignedRoot>> UnpublishedRootsAsync(CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = await conn.QueryAsync<RootRow>(new CommandDefinition(SelectRoot + """
             r WHERE NOT EXISTS (SELECT 1 FROM ledger_roots_published p WHERE p.platform = r.platform AND p.day = r.day)
            ORDER BY r.day, r.platform LIMIT 1000
            """, cancellationToken: ct));
        return rows.Select(r => r.ToSigned()).ToList();
    }

    public async Task MarkPublishedAsync(string platform, DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ledger_roots_published (platform, day, published_at) VALUES (@Platform, @Day, @At) ON CONFLICT DO NOTHING",
            new { Platform = platform, Day = LedgerDays.Text(day), At = Ts(at) }, cancellationToken: ct));
    }

    public async Task<LedgerProof?> GetProofAsync(string platform, string contentId, long version, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var entries = (await conn.QueryAsync<PostgresLedger.ProofRow>(new CommandDefinition(SelectProof + """
             WHERE platform = @Platform AND content_id = @ContentId AND version = @Version ORDER BY day, seq
            """, new { Platform = platform, ContentId = contentId, Version = version }, cancellationToken: ct))).Select(r => r.ToEntry()).ToList();
        if (entries.Count == 0)
            return null;
        var roots = new List<SignedRoot>();
        foreach (var day in entries.Select(e => LedgerDays.Text(e.Day)).Distinct(StringComparer.Ordinal))
        {
            var root = await conn.QuerySingleOrDefaultAsync<RootRow>(new CommandDefinition(SelectRoot + " WHERE platform = @Platform AND day = @Day",
                new { Platform = platform, Day = day }, cancellationToken: ct));
            if (root is not null)
                roots.Add(root.ToSigned());
        }
        return new LedgerProof(platform, contentId, version, entries, roots);
    }

    public async Task<IReadOnlyList<LedgerProofEntry>> ChainTailAsync(string platform, DateOnly day, long fromSequence, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = await conn.QueryAsync<PostgresLedger.ProofRow>(new CommandDefinition(SelectProof + " WHERE platform = @Platform AND day = @Day AND seq >= @From ORDER BY seq",
            new { Platform = platform, Day = LedgerDays.Text(day), From = fromSequence }, cancellationToken: ct));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    private const string SelectProof = """
        SELECT platform AS Platform, day AS Day, seq AS Seq, kind AS Kind, content_id AS ContentId, version AS Version,
               prev_hash AS PrevHash, entry_hash AS EntryHash
        FROM ledger_entries
        """;

    private sealed class EntryRow
    {
        public long Seq { get; set; }
        public string Kind { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string? DecisionId { get; set; }
        public string PrevHash { get; set; } = "";
        public string EntryHash { get; set; } = "";
    }

    private sealed class RecordRow
    {
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string ServiceType { get; set; } = "";
        public string AuthorId { get; set; } = "";
        public string? Title { get; set; }
        public string Body { get; set; } = "";
        public string Urls { get; set; } = "[]";
        public string PublishedAt { get; set; } = "";
        public string SourceIp { get; set; } = "";
        public long? SourcePort { get; set; }
        public string ContentSha256 { get; set; } = "";

        public LedgerRecordRow ToRow() => new(Platform, ContentId, Version, ServiceType, AuthorId, Title, Body, FromJson<List<string>>(Urls), ParseTs(PublishedAt),
            SourceIp, SourcePort is { } port ? (int)port : null, ContentSha256);
    }

    private sealed class DecisionRow
    {
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string DecisionId { get; set; } = "";
        public string Action { get; set; } = "";
        public string Categories { get; set; } = "[]";
        public string LexiconVersion { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string PolicyVersion { get; set; } = "";
        public string DecidedAt { get; set; } = "";
        public string EvidenceJson { get; set; } = "";
        public string EvidenceSha256 { get; set; } = "";

        public LedgerDecisionRow ToRow() => new(Platform, ContentId, Version, Guid.Parse(DecisionId), Action, FromJson<List<int>>(Categories), LexiconVersion,
            ModelVersion, PolicyVersion, ParseTs(DecidedAt), Core.Decisions.TakedownOrder.AutomaticActor, EvidenceSha256);
    }

    private sealed class ReviewRow
    {
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string DecisionId { get; set; } = "";
        public string Status { get; set; } = "";
        public string Categories { get; set; } = "[]";
        public string? DecidedBy { get; set; }
        public string? DecidedAt { get; set; }
        public string? Reason { get; set; }

        public LedgerReviewRow ToRow() => new(Platform, ContentId, Version, Guid.Parse(DecisionId), Status, FromJson<List<int>>(Categories), DecidedBy ?? "",
            DecidedAt is { } at ? ParseTs(at) : DateTimeOffset.UnixEpoch, Reason);
    }

    private sealed class RootRow
    {
        public string Platform { get; set; } = "";
        public string Day { get; set; } = "";
        public long Entries { get; set; }
        public string LastHash { get; set; } = "";
        public string Signature { get; set; } = "";
        public string KeyId { get; set; } = "";
        public string SignedAt { get; set; } = "";

        public SignedRoot ToSigned() => new(new DailyRoot(Platform, LedgerDays.Parse(Day), Entries, LastHash), Signature, KeyId, ParseTs(SignedAt));
    }
}
