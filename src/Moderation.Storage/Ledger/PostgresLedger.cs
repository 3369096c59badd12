using Dapper;
using Moderation.Core.Ledger;
using Npgsql;

namespace Moderation.Storage.Ledger;

/// <summary>
/// The record ledger on PostgreSQL. Appending is two round trips per batch, inside the batch's transaction: one
/// statement creates-or-locks the chain heads (INSERT .. ON CONFLICT DO UPDATE takes the row lock; heads are
/// locked in platform order so two workers cannot deadlock), the hashes are computed here, and one command
/// inserts the entries and moves the heads. A second worker appending to the same chain waits on the head lock
/// until the first commits, then reads the head the first left.
/// </summary>
public sealed class PostgresLedger(NpgsqlDataSource db) : ILedgerStore
{
    internal static async Task AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<PendingEntry> entries, DateTimeOffset now, CancellationToken ct)
    {
        if (entries.Count == 0)
            return;
        var day = LedgerDays.Of(now);
        var dayText = LedgerDays.Text(day);
        var platforms = entries.Select(e => e.Platform).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var heads = (await conn.QueryAsync<Head>(new CommandDefinition("""
            INSERT INTO ledger_heads (platform, day)
            SELECT p, @Day::date FROM unnest(@Platforms) WITH ORDINALITY AS u(p, n) ORDER BY n
            ON CONFLICT (platform, day) DO UPDATE SET last_seq = ledger_heads.last_seq
            RETURNING platform AS Platform, last_seq AS LastSeq, last_hash AS LastHash, closed AS Closed
            """, new { Day = dayText, Platforms = platforms }, tx, cancellationToken: ct))).ToDictionary(h => h.Platform, StringComparer.Ordinal);

        var n = entries.Count;
        var (seqs, prevs, hashes) = (new long[n], new string[n], new string[n]);
        for (var i = 0; i < n; i++)
        {
            var head = heads[entries[i].Platform];
            if (head.Closed)
                throw new LedgerChainClosedException(head.Platform, day);
            head.LastSeq++;
            prevs[i] = head.LastHash;
            seqs[i] = head.LastSeq;
            hashes[i] = LedgerHash.Entry(head.LastHash, head.LastSeq, entries[i].Canonical);
            head.LastHash = hashes[i];
        }
        var moved = heads.Values.ToArray();
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO ledger_entries (platform, day, seq, kind, content_id, version, decision_id, prev_hash, entry_hash, appended_at)
            SELECT u.platform, @Day::date, u.seq, u.kind, u.content_id, u.version, u.decision_id, u.prev_hash, u.entry_hash, @Now
            FROM unnest(@Platform, @Seq, @Kind, @ContentId, @Version, @DecisionId, @Prev, @Hash)
                 AS u(platform, seq, kind, content_id, version, decision_id, prev_hash, entry_hash);
            UPDATE ledger_heads h SET last_seq = u.last_seq, last_hash = u.last_hash
            FROM unnest(@HeadPlatform, @HeadSeq, @HeadHash) AS u(platform, last_seq, last_hash)
            WHERE h.platform = u.platform AND h.day = @Day::date;
            """, new
        {
            Day = dayText,
            Now = now.UtcDateTime,
            Platform = entries.Select(e => e.Platform).ToArray(),
            Seq = seqs,
            Kind = entries.Select(e => e.Kind).ToArray(),
            ContentId = entries.Select(e => e.ContentId).ToArray(),
            Version = entries.Select(e => e.Version).ToArray(),
            DecisionId = entries.Select(e => e.DecisionId).ToArray(),
            Prev = prevs,
            Hash = hashes,
            HeadPlatform = moved.Select(h => h.Platform).ToArray(),
            HeadSeq = moved.Select(h => h.LastSeq).ToArray(),
            HeadHash = moved.Select(h => h.LastHash).ToArray(),
        }, tx, cancellationToken: ct));
    }

    private sealed class Head
    {
        public string Platform { get; set; } = "";
        public long LastSeq { get; set; }
        public string LastHash { get; set; } = "";
        public bool Closed { get; set; }
    }

    public async Task<IReadOnlyList<LedgerChain>> ChainsAsync(string? platform, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChainRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, last_seq AS Entries, closed AS Closed FROM ledger_heads
            WHERE (@Platform::text IS NULL OR platform = @Platform)
              AND (@From::date IS NULL OR day >= @From::date) AND (@To::date IS NULL OR day <= @To::date)
            ORDER BY platform, day
            """, new { Platform = platform, From = from is { } f ? LedgerDays.Text(f) : null, To = to is { } t ? LedgerDays.Text(t) : null }, cancellationToken: ct));
        return rows.Select(r => r.ToChain()).ToList();
    }

    public async Task<IReadOnlyList<LedgerChain>> DueForSealAsync(DateOnly beforeDay, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ChainRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, last_seq AS Entries, closed AS Closed FROM ledger_heads
            WHERE NOT closed AND day < @Before::date ORDER BY day, platform
            """, new { Before = LedgerDays.Text(beforeDay) }, cancellationToken: ct));
        return rows.Select(r => r.ToChain()).ToList();
    }

    internal sealed class ChainRow
    {
        public string Platform { get; set; } = "";
        public string Day { get; set; } = "";
        public long Entries { get; set; }
        public bool Closed { get; set; }

        public LedgerChain ToChain() => new(Platform, LedgerDays.Parse(Day), Entries, Closed);
    }

    public async Task<ChainInput> ReadChainAsync(string platform, DateOnly day, CancellationToken ct)
    {
        var p = new { Platform = platform, Day = LedgerDays.Text(day) };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var entries = (await conn.QueryAsync<EntryRow>(new CommandDefinition("""
            SELECT seq AS Seq, kind AS Kind, content_id AS ContentId, version AS Version, decision_id AS DecisionId,
                   prev_hash AS PrevHash, entry_hash AS EntryHash
            FROM ledger_entries WHERE platform = @Platform AND day = @Day::date ORDER BY seq
            """, p, tx, cancellationToken: ct))).ToList();

        var records = (await conn.QueryAsync<RecordRow>(new CommandDefinition("""
            SELECT r.platform AS Platform, r.content_id AS ContentId, r.version AS Version, r.service_type AS ServiceType, r.author_id AS AuthorId,
                   r.title AS Title, r.body AS Body, r.urls AS Urls, r.published_at AS PublishedAt, host(r.source_ip) AS SourceIp,
                   r.source_port AS SourcePort, r.content_sha256 AS ContentSha256
            FROM ledger_entries e JOIN post_records r ON r.platform = e.platform AND r.content_id = e.content_id AND r.version = e.version
            WHERE e.platform = @Platform AND e.day = @Day::date AND e.kind = 'record'
            """, p, tx, cancellationToken: ct))).ToDictionary(r => (r.ContentId, r.Version));

        var decisions = (await conn.QueryAsync<DecisionRow>(new CommandDefinition("""
            SELECT d.platform AS Platform, d.content_id AS ContentId, d.version AS Version, d.decision_id AS DecisionId, d.action AS Action,
                   d.categories AS Categories, d.lexicon_version AS LexiconVersion, d.model_version AS ModelVersion,
                   d.policy_version AS PolicyVersion, d.decided_at AS DecidedAt, d.evidence_json AS EvidenceJson, d.evidence_sha256 AS EvidenceSha256
            FROM ledger_entries e JOIN decisions d ON d.platform = e.platform AND d.content_id = e.content_id AND d.version = e.version
            WHERE e.platform = @Platform AND e.day = @Day::date AND e.kind = 'decision'
            """, p, tx, cancellationToken: ct))).ToDictionary(d => (d.ContentId, d.Version));

        var reviews = (await conn.QueryAsync<ReviewRow>(new CommandDefinition("""
            SELECT q.platform AS Platform, q.content_id AS ContentId, q.version AS Version, q.decision_id AS DecisionId, q.status AS Status,
                   q.categories AS Categories, q.decided_by AS DecidedBy, q.decided_at AS DecidedAt, q.decision_reason AS Reason
            FROM ledger_entries e JOIN quarantine q ON q.decision_id = e.decision_id
            WHERE e.platform = @Platform AND e.day = @Day::date AND e.kind = 'review'
            """, p, tx, cancellationToken: ct))).ToDictionary(q => q.DecisionId);

        var purged = (await conn.QueryAsync<(long Seq, string Hash)>(new CommandDefinition(
            "SELECT seq, entry_hash FROM ledger_deletions WHERE platform = @Platform AND day = @Day::date", p, tx, cancellationToken: ct)))
            .ToDictionary(x => x.Seq, x => x.Hash);

        var root = await conn.QuerySingleOrDefaultAsync<RootRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, entries AS Entries, last_hash AS LastHash,
                   signature AS Signature, key_id AS KeyId, signed_at AS SignedAt
            FROM ledger_roots WHERE platform = @Platform AND day = @Day::date
            """, p, tx, cancellationToken: ct));
        var closed = await conn.QuerySingleOrDefaultAsync<bool>(new CommandDefinition(
            "SELECT closed FROM ledger_heads WHERE platform = @Platform AND day = @Day::date", p, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);

        var chained = entries.Select(e => e.Kind switch
        {
            LedgerCanonical.RecordKind => e.Entry(platform, records.TryGetValue((e.ContentId, e.Version), out var r) ? r.ToRow() : null),
            LedgerCanonical.DecisionKind => e.Entry(platform, decisions.TryGetValue((e.ContentId, e.Version), out var d) ? d.ToRow() : null,
                d is not null && !d.EvidenceIntact ? "its evidence snapshot no longer matches the snapshot's hash" : null),
            _ => e.Entry(platform, e.DecisionId is { } id && reviews.TryGetValue(id, out var q) ? q.ToRow() : null),
        }).ToList();
        return new ChainInput(platform, day, chained, purged, root?.ToSigned(), closed);
    }

    public async Task<IReadOnlyList<UnchainedRow>> UnchainedAsync(string? platform, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Kind, string Platform, string ContentId, long Version)>(new CommandDefinition("""
            SELECT 'record', r.platform, r.content_id, r.version FROM post_records r
            WHERE (@Platform::text IS NULL OR r.platform = @Platform)
              AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.platform = r.platform AND e.content_id = r.content_id
                              AND e.version = r.version AND e.kind = 'record')
              AND NOT EXISTS (SELECT 1 FROM ledger_preexisting x WHERE x.platform = r.platform AND x.content_id = r.content_id AND x.version = r.version)
            UNION ALL
            SELECT 'decision', d.platform, d.content_id, d.version FROM decisions d
            WHERE (@Platform::text IS NULL OR d.platform = @Platform)
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
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The head lock: appenders to this chain wait, and a second sealer finds it closed.
        var head = await conn.QuerySingleOrDefaultAsync<Head>(new CommandDefinition("""
            SELECT platform AS Platform, last_seq AS LastSeq, last_hash AS LastHash, closed AS Closed
            FROM ledger_heads WHERE platform = @Platform AND day = @Day::date FOR UPDATE
            """, p, tx, cancellationToken: ct));
        if (head is null)
            return null;
        if (!head.Closed)
        {
            var signed = signer.Sign(new DailyRoot(platform, day, head.LastSeq, head.LastHash), now);
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE ledger_heads SET closed = true WHERE platform = @Platform AND day = @Day::date;
                INSERT INTO ledger_roots (platform, day, entries, last_hash, signature, key_id, signed_at)
                VALUES (@Platform, @Day::date, @Entries, @LastHash, @Signature, @KeyId, @SignedAt);
                """, new { p.Platform, p.Day, Entries = head.LastSeq, head.LastHash, signed.Signature, signed.KeyId, SignedAt = now.UtcDateTime }, tx, cancellationToken: ct));
        }
        var root = await conn.QuerySingleOrDefaultAsync<RootRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, entries AS Entries, last_hash AS LastHash,
                   signature AS Signature, key_id AS KeyId, signed_at AS SignedAt
            FROM ledger_roots WHERE platform = @Platform AND day = @Day::date
            """, p, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return root?.ToSigned();
    }

    public async Task<IReadOnlyList<SignedRoot>> UnpublishedRootsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<RootRow>(new CommandDefinition("""
            SELECT r.platform AS Platform, to_char(r.day, 'YYYY-MM-DD') AS Day, r.entries AS Entries, r.last_hash AS LastHash,
                   r.signature AS Signature, r.key_id AS KeyId, r.signed_at AS SignedAt
            FROM ledger_roots r
            WHERE NOT EXISTS (SELECT 1 FROM ledger_roots_published p WHERE p.platform = r.platform AND p.day = r.day)
            ORDER BY r.day, r.platform LIMIT 1000
            """, cancellationToken: ct));
        return rows.Select(r => r.ToSigned()).ToList();
    }

    public async Task MarkPublishedAsync(string platform, DateOnly day, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ledger_roots_published (platform, day, published_at) VALUES (@Platform, @Day::date, @At) ON CONFLICT DO NOTHING",
            new { Platform = platform, Day = LedgerDays.Text(day), At = at.UtcDateTime }, cancellationToken: ct));
    }

    public async Task<LedgerProof?> GetProofAsync(string platform, string contentId, long version, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var entries = (await conn.QueryAsync<ProofRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, seq AS Seq, kind AS Kind, content_id AS ContentId, version AS Version,
                   prev_hash AS PrevHash, entry_hash AS EntryHash
            FROM ledger_entries WHERE platform = @Platform AND content_id = @ContentId AND version = @Version
            ORDER BY day, seq
            """, new { Platform = platform, ContentId = contentId, Version = version }, cancellationToken: ct))).Select(r => r.ToEntry()).ToList();
        if (entries.Count == 0)
            return null;
        var days = entries.Select(e => LedgerDays.Text(e.Day)).Distinct(StringComparer.Ordinal).ToArray();
        var roots = await conn.QueryAsync<RootRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, entries AS Entries, last_hash AS LastHash,
                   signature AS Signature, key_id AS KeyId, signed_at AS SignedAt
            FROM ledger_roots WHERE platform = @Platform AND day = ANY(@Days::date[])
            ORDER BY day
            """, new { Platform = platform, Days = days }, cancellationToken: ct));
        return new LedgerProof(platform, contentId, version, entries, roots.Select(r => r.ToSigned()).ToList());
    }

    public async Task<IReadOnlyList<LedgerProofEntry>> ChainTailAsync(string platform, DateOnly day, long fromSequence, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ProofRow>(new CommandDefinition("""
            SELECT platform AS Platform, to_char(day, 'YYYY-MM-DD') AS Day, seq AS Seq, kind AS Kind, content_id AS ContentId, version AS Version,
                   prev_hash AS PrevHash, entry_hash AS EntryHash
            FROM ledger_entries WHERE platform = @Platform AND day = @Day::date AND seq >= @From
            ORDER BY seq
            """, new { Platform = platform, Day = LedgerDays.Text(day), From = fromSequence }, cancellationToken: ct));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    internal sealed class ProofRow
    {
        public string Platform { get; set; } = "";
        public string Day { get; set; } = "";
        public long Seq { get; set; }
        public string Kind { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public string PrevHash { get; set; } = "";
        public string EntryHash { get; set; } = "";

        public LedgerProofEntry ToEntry() => new(Platform, LedgerDays.Parse(Day), Seq, Kind, ContentId, Version, PrevHash, EntryHash);
    }

    private sealed class EntryRow
    {
        public long Seq { get; set; }
        public string Kind { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public Guid? DecisionId { get; set; }
        public string PrevHash { get; set; } = "";
        public string EntryHash { get; set; } = "";

        public ChainEntry Entry(string platform, LedgerRecordRow? row) =>
            new(Seq, Kind, LedgerSubjects.Record(platform, ContentId, Version), PrevHash, EntryHash, row?.Canonical());

        public ChainEntry Entry(string platform, LedgerDecisionRow? row, string? problem) =>
            new(Seq, Kind, "decision on " + LedgerSubjects.Record(platform, ContentId, Version), PrevHash, EntryHash, row?.Canonical(), problem);

        public ChainEntry Entry(string platform, LedgerReviewRow? row) =>
            new(Seq, Kind, "moderator decision on " + LedgerSubjects.Record(platform, ContentId, Version), PrevHash, EntryHash, row?.Canonical());
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
        public string[] Urls { get; set; } = [];
        public DateTime PublishedAt { get; set; }
        public string SourceIp { get; set; } = "";
        public int? SourcePort { get; set; }
        public string ContentSha256 { get; set; } = "";

        public LedgerRecordRow ToRow() => new(Platform, ContentId, Version, ServiceType, AuthorId, Title, Body, Urls, PostgresValues.Utc(PublishedAt),
            SourceIp, SourcePort, ContentSha256);
    }

    private sealed class DecisionRow
    {
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public Guid DecisionId { get; set; }
        public string Action { get; set; } = "";
        public int[] Categories { get; set; } = [];
        public string LexiconVersion { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string PolicyVersion { get; set; } = "";
        public DateTime DecidedAt { get; set; }
        public string EvidenceJson { get; set; } = "";
        public string EvidenceSha256 { get; set; } = "";

        public bool EvidenceIntact => Moderation.Core.Posts.PostIntake.Sha256Hex(EvidenceJson) == EvidenceSha256;

        public LedgerDecisionRow ToRow() => new(Platform, ContentId, Version, DecisionId, Action, Categories, LexiconVersion, ModelVersion, PolicyVersion,
            PostgresValues.Utc(DecidedAt), Moderation.Core.Decisions.TakedownOrder.AutomaticActor, EvidenceSha256);
    }

    private sealed class ReviewRow
    {
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public Guid DecisionId { get; set; }
        public string Status { get; set; } = "";
        public int[] Categories { get; set; } = [];
        public string? DecidedBy { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? Reason { get; set; }

        public LedgerReviewRow ToRow() => new(Platform, ContentId, Version, DecisionId, Status, Categories, DecidedBy ?? "",
            DecidedAt is { } at ? PostgresValues.Utc(at) : DateTimeOffset.UnixEpoch, Reason);
    }

    internal sealed class RootRow
    {
        public string Platform { get; set; } = "";
        public string Day { get; set; } = "";
        public long Entries { get; set; }
        public string LastHash { get; set; } = "";
        public string Signature { get; set; } = "";
        public string KeyId { get; set; } = "";
        public DateTime SignedAt { get; set; }

        public SignedRoot ToSigned() => new(new DailyRoot(Platform, LedgerDays.Parse(Day), Entries, LastHash), Signature, KeyId, PostgresValues.Utc(SignedAt));
    }
}
