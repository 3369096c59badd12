using Dapper;
using Moderation.Core.Decisions;
using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Storage.Compliance;

/// <summary>Lawful requests on PostgreSQL; the four-eyes rule is also a CHECK constraint (migration 0310).</summary>
public sealed class PostgresLawfulRequests(NpgsqlDataSource db, TimeProvider time) : ILawfulRequests
{
    private const string Columns = """
        request_id AS RequestId, authority AS Authority, document_number AS DocumentNumber, legal_basis AS LegalBasis, platform AS Platform,
        author_id AS AuthorId, content_ids AS ContentIds, host(source_ip) AS SourceIp, published_from AS PublishedFrom, published_to AS PublishedTo,
        status AS Status, registered_by AS RegisteredBy, registered_at AS RegisteredAt, decided_by AS DecidedBy, decided_at AS DecidedAt,
        decision_reason AS DecisionReason, exported_by AS ExportedBy, exported_at AS ExportedAt
        """;

    public async Task<LawfulRequest> RegisterAsync(ReviewActor actor, LawfulRequestDraft draft, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var s = draft.Scope;
        var row = await conn.QuerySingleAsync<RequestRow>(new CommandDefinition($"""
            INSERT INTO lawful_requests (request_id, authority, document_number, legal_basis, platform, author_id, content_ids, source_ip,
                published_from, published_to, registered_by, registered_at)
            VALUES (@Id, @Authority, @DocumentNumber, @LegalBasis, @Platform, @AuthorId, @ContentIds, @SourceIp::inet, @From, @To, @User, @Now)
            RETURNING {Columns}
            """, new
        {
            Id = id, draft.Authority, draft.DocumentNumber, draft.LegalBasis, s.Platform, s.AuthorId, ContentIds = (s.ContentIds ?? []).ToArray(),
            s.SourceIp, From = s.From?.UtcDateTime, To = s.To?.UtcDateTime, User = actor.Name, Now = now.UtcDateTime,
        }, tx, cancellationToken: ct));
        await PostgresAuditLog.AppendAsync(conn, tx, actor, LawfulRequestAudit.Register, null, new { requestId = id, draft }, now, ct);
        await tx.CommitAsync(ct);
        return row.ToRequest();
    }

    public async Task<RequestResult> DecideAsync(ReviewActor actor, Guid requestId, bool approve, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition($"""
            UPDATE lawful_requests SET status = @Status, decided_by = @User, decided_at = @Now, decision_reason = @Reason
            WHERE request_id = @Id AND status = 'pending' AND registered_by <> @User
            RETURNING {Columns}
            """, new { Status = approve ? LawfulRequestStatus.Approved : LawfulRequestStatus.Rejected, User = actor.Name, Now = now.UtcDateTime, Reason = reason, Id = requestId },
            tx, cancellationToken: ct));
        if (row is null)
        {
            await tx.RollbackAsync(ct);
            return LawfulRequestRules.Explain(await GetAsync(requestId, ct), actor);
        }
        await PostgresAuditLog.AppendAsync(conn, tx, actor, approve ? LawfulRequestAudit.Approve : LawfulRequestAudit.Reject, null, new { requestId, reason }, now, ct);
        await tx.CommitAsync(ct);
        return new RequestResult(RequestOutcome.Done, row.ToRequest());
    }

    public async Task<LawfulRequest?> GetAsync(Guid requestId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM lawful_requests WHERE request_id = @Id", new { Id = requestId }, cancellationToken: ct));
        return row?.ToRequest();
    }

    public async Task<IReadOnlyList<LawfulRequest>> ListAsync(string? status, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM lawful_requests WHERE (@Status::text IS NULL OR status = @Status) ORDER BY registered_at DESC, request_id LIMIT @Limit",
            new { Status = status, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRequest()).ToList();
    }

    public async Task<RequestResult> ExportAsync(ReviewActor actor, Guid requestId, LedgerSigner signer, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The row lock: two exports of one request cannot both run.
        var row = await conn.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            $"SELECT {Columns} FROM lawful_requests WHERE request_id = @Id FOR UPDATE", new { Id = requestId }, tx, cancellationToken: ct));
        if (row is null)
            return new RequestResult(RequestOutcome.NotFound, Detail: $"No lawful request {requestId}.");
        var request = row.ToRequest();
        if (request.Status != LawfulRequestStatus.Approved)
            return new RequestResult(RequestOutcome.Conflict, request, $"The request is {request.Status}; only an approved request is exported (once).");

        var records = await ScopedRecordsAsync(conn, tx, request.Scope, ct);
        var bundle = await LawfulExport.BuildAsync(request with { Status = LawfulRequestStatus.Exported, ExportedBy = actor.Name, ExportedAt = now },
            records, new PostgresLedger(db), signer, now, ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO lawful_request_exports (request_id, records_jsonl, manifest_json, signature, public_key_pem, record_count, created_at)
            VALUES (@Id, @Jsonl, @Manifest, @Signature, @Key, @Count, @Now);
            UPDATE lawful_requests SET status = 'exported', exported_by = @User, exported_at = @Now WHERE request_id = @Id;
            """, new { Id = requestId, Jsonl = bundle.RecordsJsonl, Manifest = bundle.ManifestJson, bundle.Signature, Key = bundle.PublicKeyPem,
                Count = bundle.RecordCount, Now = now.UtcDateTime, User = actor.Name }, tx, cancellationToken: ct));
        await PostgresAuditLog.AppendAsync(conn, tx, actor, LawfulRequestAudit.Export, null,
            new { requestId, records = bundle.RecordCount, manifestSha256 = Core.Posts.PostIntake.Sha256Hex(bundle.ManifestJson), keyId = signer.KeyId }, now, ct);
        await tx.CommitAsync(ct);
        return new RequestResult(RequestOutcome.Done, request with { Status = LawfulRequestStatus.Exported, ExportedBy = actor.Name, ExportedAt = now });
    }

    public async Task<ExportBundle?> DownloadAsync(ReviewActor actor, Guid requestId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<ExportRow>(new CommandDefinition("""
            SELECT records_jsonl AS RecordsJsonl, manifest_json AS ManifestJson, signature AS Signature, public_key_pem AS PublicKeyPem,
                   record_count AS RecordCount, created_at AS CreatedAt
            FROM lawful_request_exports WHERE request_id = @Id
            """, new { Id = requestId }, cancellationToken: ct));
        if (row is null)
            return null;
        await PostgresAuditLog.AppendAsync(conn, null, actor, LawfulRequestAudit.Download, null, new { requestId }, now, ct);
        return new ExportBundle(requestId, row.RecordsJsonl, row.ManifestJson, row.Signature, row.PublicKeyPem, row.RecordCount, PostgresValues.Utc(row.CreatedAt));
    }

    private static async Task<List<ExportedRecord>> ScopedRecordsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, LawfulRequestScope s, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<ScopedRow>(new CommandDefinition("""
            SELECT r.platform AS Platform, r.content_id AS ContentId, r.version AS Version, r.service_type AS ServiceType, r.author_id AS AuthorId,
                   r.title AS Title, r.body AS Body, r.urls AS Urls, r.published_at AS PublishedAt, host(r.source_ip) AS SourceIp,
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
              AND (@AuthorId::text IS NULL OR r.author_id = @AuthorId)
              AND (cardinality(@ContentIds::text[]) = 0 OR r.content_id = ANY(@ContentIds::text[]))
              AND (@SourceIp::inet IS NULL OR r.source_ip = @SourceIp::inet)
              AND (@From::timestamptz IS NULL OR r.published_at >= @From)
              AND (@To::timestamptz IS NULL OR r.published_at < @To)
            ORDER BY r.published_at, r.content_id, r.version
            """, new
        {
            s.Platform, s.AuthorId, ContentIds = (s.ContentIds ?? []).ToArray(), s.SourceIp, From = s.From?.UtcDateTime, To = s.To?.UtcDateTime,
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
        public string[] Urls { get; set; } = [];
        public DateTime PublishedAt { get; set; }
        public string SourceIp { get; set; } = "";
        public int? SourcePort { get; set; }
        public string ContentSha256 { get; set; } = "";
        public bool LegalHold { get; set; }
        public Guid? DecisionId { get; set; }
        public string? Action { get; set; }
        public int[]? Categories { get; set; }
        public string? LexiconVersion { get; set; }
        public string? ModelVersion { get; set; }
        public string? PolicyVersion { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? EvidenceJson { get; set; }
        public string? EvidenceSha256 { get; set; }
        public string? ReviewStatus { get; set; }
        public int[]? ReviewCategories { get; set; }
        public string? ReviewedBy { get; set; }
        public DateTime? ReviewedAt { get; set; }
        public string? ReviewReason { get; set; }

        public ExportedRecord ToRecord()
        {
            var record = new LedgerRecordRow(Platform, ContentId, Version, ServiceType, AuthorId, Title, Body, Urls, PostgresValues.Utc(PublishedAt),
                SourceIp, SourcePort, ContentSha256);
            var decision = DecisionId is { } id
                ? new LedgerDecisionRow(Platform, ContentId, Version, id, Action!, Categories ?? [], LexiconVersion!, ModelVersion!, PolicyVersion!,
                    PostgresValues.Utc(DecidedAt!.Value), TakedownOrder.AutomaticActor, EvidenceSha256!)
                : null;
            IReadOnlyList<LedgerReviewRow> reviews = ReviewStatus is { } status && DecisionId is { } did
                ? [new LedgerReviewRow(Platform, ContentId, Version, did, status, ReviewCategories ?? [], ReviewedBy ?? "",
                    ReviewedAt is { } at ? PostgresValues.Utc(at) : DateTimeOffset.UnixEpoch, ReviewReason)]
                : [];
            return new ExportedRecord(record, decision, EvidenceJson, reviews, LegalHold);
        }
    }

    private sealed class RequestRow
    {
        public Guid RequestId { get; set; }
        public string Authority { get; set; } = "";
        public string DocumentNumber { get; set; } = "";
        public string LegalBasis { get; set; } = "";
        public string Platform { get; set; } = "";
        public string? AuthorId { get; set; }
        public string[] ContentIds { get; set; } = [];
        public string? SourceIp { get; set; }
        public DateTime? PublishedFrom { get; set; }
        public DateTime? PublishedTo { get; set; }
        public string Status { get; set; } = "";
        public string RegisteredBy { get; set; } = "";
        public DateTime RegisteredAt { get; set; }
        public string? DecidedBy { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? DecisionReason { get; set; }
        public string? ExportedBy { get; set; }
        public DateTime? ExportedAt { get; set; }

        public LawfulRequest ToRequest() => new(RequestId, Authority, DocumentNumber, LegalBasis,
            new LawfulRequestScope(Platform, AuthorId, ContentIds, SourceIp, PostgresValues.Utc(PublishedFrom), PostgresValues.Utc(PublishedTo)),
            Status, RegisteredBy, PostgresValues.Utc(RegisteredAt), DecidedBy, PostgresValues.Utc(DecidedAt), DecisionReason, ExportedBy, PostgresValues.Utc(ExportedAt));
    }

    private sealed class ExportRow
    {
        public string RecordsJsonl { get; set; } = "";
        public string ManifestJson { get; set; } = "";
        public string Signature { get; set; } = "";
        public string PublicKeyPem { get; set; } = "";
        public int RecordCount { get; set; }
        public DateTime CreatedAt { get; set; }
    }
}

/// <summary>Why a step on a request did not happen, worded for the person who tried.</summary>
internal static class LawfulRequestRules
{
    public static RequestResult Explain(LawfulRequest? request, ReviewActor actor) => request switch
    {
        null => new RequestResult(RequestOutcome.NotFound, Detail: "No such lawful request."),
        _ when string.Equals(request.RegisteredBy, actor.Name, StringComparison.Ordinal) =>
            new RequestResult(RequestOutcome.Forbidden, request, "You registered this request; a second person must approve or reject it."),
        _ => new RequestResult(RequestOutcome.Conflict, request, $"The request is already {request.Status}."),
    };
}
