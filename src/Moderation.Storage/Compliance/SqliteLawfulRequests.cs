using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Decisions;
using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;
using Moderation.Storage.Review;
using static Moderation.Storage.SqliteDatabase;

namespace Moderation.Storage.Compliance;

/// <summary>Lawful requests on the embedded default (same rules and CHECK as PostgreSQL's 0310).</summary>
public sealed class SqliteLawfulRequests(string connectionString, TimeProvider time) : ILawfulRequests
{
    private const string Columns = """
        request_id AS RequestId, authority AS Authority, document_number AS DocumentNumber, legal_basis AS LegalBasis, platform AS Platform,
        author_id AS AuthorId, content_ids AS ContentIds, source_ip AS SourceIp, published_from AS PublishedFrom, published_to AS PublishedTo,
        status AS Status, registered_by AS RegisteredBy, registered_at AS RegisteredAt, decided_by AS DecidedBy, decided_at AS DecidedAt,
        decision_reason AS DecisionReason, exported_by AS ExportedBy, exported_at AS ExportedAt
        """;

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => SqliteDatabase.OpenAsync(connectionString, ct);

    public async Task<LawfulRequest> RegisterAsync(ReviewActor actor, LawfulRequestDraft draft, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var conn = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var s = draft.Scope;
        var row = await conn.QuerySingleAsync<RequestRow>(new CommandDefinition($"""
            INSERT INTO lawful_requests (request_id, authority, document_number, legal_basis, platform, author_id, content_ids, source_ip,
                published_from, published_to, registered_by, registered_at)
            VALUES (@Id, @Authority, @DocumentNumber, @LegalBasis, @Platform, @AuthorId, @ContentIds, @SourceIp, @From, @To, @User, @Now)
            RETURNING {Columns}
            """, new
        {
            Id = Id(id), draft.Authority, draft.DocumentNumber, draft.LegalBasis, s.Platform, s.AuthorId, ContentIds = JsonText(s.ContentIds ?? []),
            SourceIp = s.SourceIp is { } ip ? LedgerCanonical.Ip(ip) : null, From = Ts(s.From), To = Ts(s.To), User = actor.Name, Now = Ts(now),
        }, tx, cancellationToken: ct));
        await SqliteAuditLog.AppendAsync(conn, tx, actor, LawfulRequestAudit.Register, null, new { requestId = id, draft }, now, ct);
        await tx.CommitAsync(ct);
        return row.ToRequest();
    }

    public async Task<RequestResult> DecideAsync(ReviewActor actor, Guid requestId, bool approve, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition($"""
            UPDATE lawful_requests SET status = @Status, decided_by = @User, decided_at = @Now, decision_reason = @Reason
            WHERE request_id = @Id AND status = 'pending' AND registered_by <> @User
            RETURNING {Columns}
            """, new { Status = approve ? LawfulRequestStatus.Approved : LawfulRequestStatus.Rejected, User = actor.Name, Now = Ts(now), Reason = reason, Id = Id(requestId) },
            tx, cancellationToken: ct));
        if (row is null)
        {
            await tx.RollbackAsync(ct);
            return LawfulRequestRules.Explain(await GetAsync(requestId, ct), actor);
        }
        await SqliteAuditLog.AppendAsync(conn, tx, actor, approve ? LawfulRequestAudit.Approve : LawfulRequestAudit.Reject, null, new { requestId, reason }, now, ct);
        await tx.CommitAsync(ct);
        return new RequestResult(RequestOutcome.Done, row.ToRequest());
    }

    public async Task<LawfulRequest?> GetAsync(Guid requestId, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM lawful_requests WHERE request_id = @Id", new { Id = Id(requestId) }, cancellationToken: ct));
        return row?.ToRequest();
    }

    public async Task<IReadOnlyList<LawfulRequest>> ListAsync(string? status, int limit, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        var rows = await conn.QueryAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM lawful_requests WHERE (@Status IS NULL OR status = @Status) ORDER BY registered_at DESC, request_id LIMIT @Limit",
            new { Status = status, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    public async Task<RequestResult> ExportAsync(ReviewActor actor, Guid requestId, LedgerSigner signer, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await OpenAsync(ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        // A write first: this transaction holds SQLite's write lock, so two exports of one request cannot both run.
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"UPDATE lawful_requests SET status = status WHERE request_id = @Id RETURNING {Columns}", new { Id = Id(requestId) }, tx, cancellationToken: ct));
        if (row is null)
            return new RequestResult(RequestOutcome.NotFound, Detail: $"No lawful request {requestId}.");
        var request = row.ToRequest();
        if (request.Status != LawfulRequestStatus.Approved)
            return new RequestResult(RequestOutcome.Conflict, request, $"The request is {request.Status}; only an approved request is exported (once).");

        var exported = request with { Status = LawfulRequestStatus.Exported, ExportedBy = actor.Name, ExportedAt = now };
        var records = await ScopedRecordsAsync(conn, tx, request.Scope, ct);
        var bundle = await LawfulExport.BuildAsync(exported, records, new SqliteLedger(connectionString), signer, now, ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO lawful_request_exports (request_id, records_jsonl, manifest_json, signature, public_key_pem, record_count, created_at)
            VALUES (@Id, @Jsonl, @Manifest, @Signature, @Key, @Count, @Now);
            UPDATE lawful_requests SET status = 'exported', exported_by = @User, exported_at = @Now WHERE request_id = @Id;
            """, new { Id = Id(requestId), Jsonl = bundle.RecordsJsonl, Manifest = bundle.ManifestJson, bundle.Signature, Key = bundle.PublicKeyPem,
                Count = bundle.RecordCount, Now = Ts(now), User = actor.Name }, tx, cancellationToken: ct));
        await SqliteAuditLog.AppendAsync(conn, tx, actor, LawfulRequestAudit.Export, null,
            new { requestId, records = bundle.RecordCount, manifestSha256 = Core.Posts.PostIntake.Sha256Hex(bundle.ManifestJson), keyId = signer.KeyId }, now, ct);
        await tx.CommitAsync(ct);
        return new RequestResult(RequestOutcome.Done, exported);
    }

    public async Task<ExportBundle?> DownloadAsync(ReviewActor actor, Guid requestId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<ExportRow>(new CommandDefinition("""
            SELECT records_jsonl AS RecordsJsonl, manifest_json AS ManifestJson, signature AS Signature, public_key_pem AS PublicKeyPem,
                   record_count AS RecordCount, created_at AS CreatedAt
            FROM lawful_request_exports WHERE request_id = @Id
            """, new { Id = Id(requestId) }, cancellationToken: ct));
        if (row is null)
            return null;
        await SqliteAuditLog.AppendAsync(conn, null, actor, LawfulRequestAudit.Download, null, new { requestId }, now, ct);
        return new ExportBundle(requestId, row.RecordsJsonl, row.ManifestJson, row.Signature, row.PublicKeyPem, (int)row.RecordCount, ParseTs(row.CreatedAt));
    }

    private static async Task<List<ExportedRecord>> ScopedRecordsAsync(SqliteConnection conn, SqliteTransaction tx, LawfulRequestScope s, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<ScopedRow>(new CommandDefinition("""
            SELECT r.platform AS Platform, r.content_id AS ContentId, r.version AS Version, r.service_type AS ServiceType, r.author_id AS AuthorId,
                   r.title AS Title, r.body AS Body, r.urls AS Urls, r.published_at AS PublishedAt, r.source_ip AS SourceIp,
                   r.source_port AS SourcePort, r.content_sha256 AS ContentSha256, r.legal_hold AS LegalHold,
                   d.decision_id AS DecisionId, d.action AS Action, d.categories AS Categories, d.lexicon_version AS LexiconVersion,
                   d.model_version AS ModelVersion, d.policy_version AS PolicyVersion, d.decided_at AS DecidedAt,
                   d.evidence_json AS EvidenceJson, d.evidence_sha256 AS EvidenceSha256,
                   q.status AS ReviewStatus, q.categories AS ReviewCategories, q.decided_by AS ReviewedBy, q.decided_at AS ReviewedAt,
                   q.decision_reason AS ReviewReason
            FROM post_records r
            LEFT JOIN decisions d ON d.platform = r.platform AND d.content_id = r.content_id AND d.version = r.version
            LEFT JOIN quarantine q ON q.decision_id = d.decision_id AND q.status IN ('confirmed', 'released')
            WHERE r.platform = @Platform
              AND (@AuthorId IS NULL OR r.author_id = @AuthorId)
              AND (@AnyContent OR r.content_id IN (SELECT value FROM json_each(@ContentIds)))
              AND (@SourceIp IS NULL OR r.source_ip = @SourceIp)
              AND (@From IS NULL OR r.published_at >= @From)
              AND (@To IS NULL OR r.published_at < @To)
            ORDER BY r.published_at, r.content_id, r.version
            """, new
        {
            s.Platform, s.AuthorId, AnyContent = s.ContentIds is not { Count: > 0 }, ContentIds = JsonText(s.ContentIds ?? []),
            SourceIp = s.SourceIp is { } ip ? LedgerCanonical.Ip(ip) : null, From = Ts(s.From), To = Ts(s.To),
        }, tx, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private sealed class ScopedRow
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
        public long LegalHold { get; set; }
        public string? DecisionId { get; set; }
        public string? Action { get; set; }
        public string? Categories { get; set; }
        public string? LexiconVersion { get; set; }
        public string? ModelVersion { get; set; }
        public string? PolicyVersion { get; set; }
        public string? DecidedAt { get; set; }
        public string? EvidenceJson { get; set; }
        public string? EvidenceSha256 { get; set; }
        public string? ReviewStatus { get; set; }
        public string? ReviewCategories { get; set; }
        public string? ReviewedBy { get; set; }
        public string? ReviewedAt { get; set; }
        public string? ReviewReason { get; set; }

        public ExportedRecord ToRecord()
        {
            var record = new LedgerRecordRow(Platform, ContentId, Version, ServiceType, AuthorId, Title, Body, FromJson<List<string>>(Urls), ParseTs(PublishedAt),
                SourceIp, SourcePort is { } port ? (int)port : null, ContentSha256);
            var decision = DecisionId is { } id
                ? new LedgerDecisionRow(Platform, ContentId, Version, Guid.Parse(id), Action!, FromJson<List<int>>(Categories ?? "[]"), LexiconVersion!, ModelVersion!,
                    PolicyVersion!, ParseTs(DecidedAt!), TakedownOrder.AutomaticActor, EvidenceSha256!)
                : null;
            IReadOnlyList<LedgerReviewRow> reviews = ReviewStatus is { } status && DecisionId is { } did
                ? [new LedgerReviewRow(Platform, ContentId, Version, Guid.Parse(did), status, FromJson<List<int>>(ReviewCategories ?? "[]"), ReviewedBy ?? "",
                    ReviewedAt is { } at ? ParseTs(at) : DateTimeOffset.UnixEpoch, ReviewReason)]
                : [];
            return new ExportedRecord(record, decision, EvidenceJson, reviews, LegalHold != 0);
        }
    }

    private sealed class RequestRow
    {
        public string RequestId { get; set; } = "";
        public string Authority { get; set; } = "";
        public string DocumentNumber { get; set; } = "";
        public string LegalBasis { get; set; } = "";
        public string Platform { get; set; } = "";
        public string? AuthorId { get; set; }
        public string ContentIds { get; set; } = "[]";
        public string? SourceIp { get; set; }
        public string? PublishedFrom { get; set; }
        public string? PublishedTo { get; set; }
        public string Status { get; set; } = "";
        public string RegisteredBy { get; set; } = "";
        public string RegisteredAt { get; set; } = "";
        public string? DecidedBy { get; set; }
        public string? DecidedAt { get; set; }
        public string? DecisionReason { get; set; }
        public string? ExportedBy { get; set; }
        public string? ExportedAt { get; set; }

        public LawfulRequest ToRequest() => new(Guid.Parse(RequestId), Authority, DocumentNumber, LegalBasis,
            new LawfulRequestScope(Platform, AuthorId, FromJson<List<string>>(ContentIds), SourceIp, ParseOptionalTs(PublishedFrom), ParseOptionalTs(PublishedTo)),
            Status, RegisteredBy, ParseTs(RegisteredAt), DecidedBy, ParseOptionalTs(DecidedAt), DecisionReason, ExportedBy, ParseOptionalTs(ExportedAt));
    }

    private sealed class ExportRow
    {
        public string RecordsJsonl { get; set; } = "";
        public string ManifestJson { get; set; } = "";
        public string Signature { get; set; } = "";
        public string PublicKeyPem { get; set; } = "";
        public long RecordCount { get; set; }
        public string CreatedAt { get; set; } = "";
    }
}
