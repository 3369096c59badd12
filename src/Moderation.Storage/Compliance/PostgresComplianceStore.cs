using Dapper;
using Moderation.Contracts;
using Moderation.Core.Events;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Storage.Compliance;

/// <summary>
/// The compliance desk on PostgreSQL. Each escalation claim is a conditional UPDATE over rows picked
/// FOR UPDATE SKIP LOCKED, re-checked by the UPDATE's own WHERE: a second instance either skips a row the first
/// holds or finds it already claimed once the first commits. The claim and the outbox row share a transaction.
/// </summary>
public sealed class PostgresComplianceStore(NpgsqlDataSource db) : IComplianceStore
{
    private const string CaseColumns = """
        c.case_id AS CaseId, c.decision_id AS DecisionId, d.platform AS Platform, d.content_id AS ContentId, d.version AS Version,
        c.categories AS Categories, c.opened_at AS OpenedAt, c.due_at AS DueAt, c.reported_at AS ReportedAt, c.reported_by AS ReportedBy,
        c.authority AS Authority, c.authority_reference AS AuthorityReference, c.closed_at AS ClosedAt, c.closed_by AS ClosedBy,
        c.escalated_at AS EscalatedAt
        """;

    private const string IncidentColumns = """
        incident_id AS IncidentId, platform AS Platform, author_id AS AuthorId, content_id AS ContentId, from_at AS FromAt, to_at AS ToAt,
        description AS Description, declared_by AS DeclaredBy, declared_at AS DeclaredAt, due_at AS DueAt, frozen_records AS FrozenRecords,
        reminded_at AS RemindedAt, overdue_at AS OverdueAt, reported_at AS ReportedAt, reported_by AS ReportedBy, authority AS Authority,
        authority_reference AS AuthorityReference, closed_at AS ClosedAt, closed_by AS ClosedBy
        """;

    /// <summary>The records an incident covers (the same scope as <c>records hold</c>).</summary>
    private const string ScopeFilter = """
        r.platform = @Platform
          AND (@AuthorId::text IS NULL OR r.author_id = @AuthorId)
          AND (@ContentId::text IS NULL OR r.content_id = @ContentId)
          AND (@From::timestamptz IS NULL OR r.published_at >= @From)
          AND (@To::timestamptz IS NULL OR r.published_at < @To)
        """;

    public async Task<IReadOnlyList<ReportCaseRow>> ListCasesAsync(string? platform, string? state, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<CaseCells>(new CommandDefinition($"""
            SELECT {CaseColumns}
            FROM report_cases c JOIN decisions d ON d.decision_id = c.decision_id
            WHERE (@Platform::text IS NULL OR d.platform = @Platform)
              AND (@State::text IS NULL
                   OR (@State = 'open' AND c.reported_at IS NULL AND c.closed_at IS NULL)
                   OR (@State = 'reported' AND c.reported_at IS NOT NULL AND c.closed_at IS NULL)
                   OR (@State = 'closed' AND c.closed_at IS NOT NULL))
            ORDER BY c.due_at, c.case_id
            LIMIT @Limit
            """, new { Platform = platform, State = state, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRow()).ToList();
    }

    public async Task<ReportCaseDetail?> GetCaseAsync(Guid caseId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        using var multi = await conn.QueryMultipleAsync(new CommandDefinition($"""
            SELECT {CaseColumns} FROM report_cases c JOIN decisions d ON d.decision_id = c.decision_id WHERE c.case_id = @Id;
            SELECT r.platform AS Platform, r.content_id AS ContentId, r.version AS Version, r.service_type AS ServiceType, r.author_id AS AuthorId,
                   r.title AS Title, r.body AS Body, r.urls AS Urls, r.published_at AS PublishedAt, r.edited_at AS EditedAt,
                   host(r.source_ip) AS SourceIp, r.source_port AS SourcePort, r.received_at AS ReceivedAt, r.content_sha256 AS ContentSha256,
                   r.retain_until AS RetainUntil, r.legal_hold AS LegalHold, d.evidence_json AS EvidenceJson, d.evidence_sha256 AS EvidenceSha256
            FROM report_cases c JOIN decisions d ON d.decision_id = c.decision_id
            JOIN post_records r ON r.platform = d.platform AND r.content_id = d.content_id AND r.version = d.version
            WHERE c.case_id = @Id;
            SELECT t.takedown_id AS TakedownId, t.decision_id AS DecisionId, t.platform AS Platform, t.content_id AS ContentId, t.version AS Version,
                   t.requested_by AS RequestedBy, t.requested_at AS RequestedAt, t.completed_at AS CompletedAt, t.escalated_at AS EscalatedAt
            FROM takedowns t JOIN report_cases c ON c.decision_id = t.decision_id WHERE c.case_id = @Id ORDER BY t.requested_at;
            SELECT q.status AS Status, q.decided_by AS DecidedBy, q.decided_at AS DecidedAt, q.decision_reason AS DecisionReason,
                   q.escalated_by AS EscalatedBy, q.escalated_at AS EscalatedAt, q.escalation_reason AS EscalationReason
            FROM quarantine q JOIN report_cases c ON c.decision_id = q.decision_id WHERE c.case_id = @Id;
            """, new { Id = caseId }, cancellationToken: ct));
        var kase = (await multi.ReadAsync<CaseCells>()).SingleOrDefault();
        var record = (await multi.ReadAsync<RecordCells>()).SingleOrDefault();
        var takedowns = (await multi.ReadAsync<TakedownCells>()).Select(t => t.ToRow()).ToList();
        var review = (await multi.ReadAsync<ReviewCells>()).SingleOrDefault();
        if (kase is null || record is null)
            return null;
        var row = record.ToRow();
        var evidence = PostgresModerationStore.Produced(record.EvidenceJson, record.EvidenceSha256, Cell.Time(kase.DueAt), row.LegalHold);
        return new ReportCaseDetail(kase.ToRow(), row, evidence, takedowns, review?.ToRow());
    }

    public Task<ClockResult> MarkCaseReportedAsync(Guid caseId, string by, string authority, string reference, DateTimeOffset at, CancellationToken ct) =>
        TransitionAsync("report_cases", "case_id", caseId, """
            UPDATE report_cases SET reported_at = @At, reported_by = @By, authority = @Authority, authority_reference = @Reference, status = 'filed'
            WHERE case_id = @Id AND reported_at IS NULL AND closed_at IS NULL
            """, new { Id = caseId, At = at.UtcDateTime, By = by, Authority = authority, Reference = reference }, "is already reported or closed", ct);

    public Task<ClockResult> CloseCaseAsync(Guid caseId, string by, DateTimeOffset at, CancellationToken ct) =>
        TransitionAsync("report_cases", "case_id", caseId, """
            UPDATE report_cases SET closed_at = @At, closed_by = @By
            WHERE case_id = @Id AND reported_at IS NOT NULL AND closed_at IS NULL
            """, new { Id = caseId, At = at.UtcDateTime, By = by }, "is not reported yet, or already closed", ct);

    public Task<ClockResult> MarkIncidentReportedAsync(Guid incidentId, string by, string authority, string reference, DateTimeOffset at, CancellationToken ct) =>
        TransitionAsync("incidents", "incident_id", incidentId, """
            UPDATE incidents SET reported_at = @At, reported_by = @By, authority = @Authority, authority_reference = @Reference
            WHERE incident_id = @Id AND reported_at IS NULL AND closed_at IS NULL
            """, new { Id = incidentId, At = at.UtcDateTime, By = by, Authority = authority, Reference = reference }, "is already reported or closed", ct);

    /// <param name="table">A constant of this class (report_cases or incidents), never input.</param>
    private async Task<ClockResult> TransitionAsync(string table, string key, Guid id, string update, object args, string conflict, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteAsync(new CommandDefinition(update, args, cancellationToken: ct)) == 1)
            return ClockResult.Done();
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"SELECT EXISTS (SELECT 1 FROM {table} WHERE {key} = @Id)", new { Id = id }, cancellationToken: ct));
        return exists ? new ClockResult(ClockOutcome.Conflict, $"{id} {conflict}.", []) : new ClockResult(ClockOutcome.NotFound, $"No such {(table == "incidents" ? "incident" : "report case")} {id}.", []);
    }

    public async Task<IReadOnlyList<OutgoingEvent>> EscalateOverdueCasesAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var claimed = await conn.QueryAsync<CaseCells>(new CommandDefinition($"""
            UPDATE report_cases c SET escalated_at = @Now
            FROM decisions d
            WHERE d.decision_id = c.decision_id
              AND c.case_id IN (SELECT case_id FROM report_cases
                                WHERE reported_at IS NULL AND closed_at IS NULL AND escalated_at IS NULL AND due_at <= @Now
                                ORDER BY due_at LIMIT @Limit FOR UPDATE SKIP LOCKED)
              AND c.escalated_at IS NULL
            RETURNING {CaseColumns}
            """, new { Now = now.UtcDateTime, Limit = limit }, tx, cancellationToken: ct));
        var events = claimed.Select(c => c.ToRow()).Select(c => ComplianceEvents.CaseOverdue(
            c.CaseId, c.DecisionId, c.Platform, c.ContentId, c.Version, c.Categories, c.OpenedAt, c.DueAt, now)).ToList();
        await PostgresReviewOutbox.StageAsync(conn, tx, events, now, ct);
        await tx.CommitAsync(ct);
        return events;
    }

    public async Task<IReadOnlyList<OutgoingEvent>> EscalateStaleTakedownsAsync(DateTimeOffset requestedBefore, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var claimed = await conn.QueryAsync<TakedownCells>(new CommandDefinition("""
            UPDATE takedowns t SET escalated_at = @Now
            WHERE t.takedown_id IN (SELECT takedown_id FROM takedowns
                                    WHERE completed_at IS NULL AND escalated_at IS NULL AND requested_at <= @Before
                                    ORDER BY requested_at LIMIT @Limit FOR UPDATE SKIP LOCKED)
              AND t.escalated_at IS NULL AND t.completed_at IS NULL
            RETURNING t.takedown_id AS TakedownId, t.decision_id AS DecisionId, t.platform AS Platform, t.content_id AS ContentId,
                      t.version AS Version, t.requested_by AS RequestedBy, t.requested_at AS RequestedAt
            """, new { Now = now.UtcDateTime, Before = requestedBefore.UtcDateTime, Limit = limit }, tx, cancellationToken: ct));
        var events = claimed.Select(t => ComplianceEvents.TakedownOverdue(Cell.Id(t.TakedownId), Cell.Id(t.DecisionId), t.Platform, t.ContentId,
            Cell.Long(t.Version), t.RequestedBy, Cell.Time(t.RequestedAt), now)).ToList();
        await PostgresReviewOutbox.StageAsync(conn, tx, events, now, ct);
        await tx.CommitAsync(ct);
        return events;
    }

    public async Task<TakedownCompletion> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // The row lock of the UPDATE serialises two deliveries of the same confirmation: only the first sees completed_at null.
        var rows = (await conn.QueryAsync<TakedownCells>(new CommandDefinition("""
            WITH hit AS (
                SELECT takedown_id, completed_at IS NULL AS fresh FROM takedowns
                WHERE platform = @Platform AND content_id = @ContentId
                  AND (@Version::bigint IS NULL OR version = @Version)
                  AND (@TakedownId::uuid IS NULL OR takedown_id = @TakedownId)
                FOR UPDATE)
            UPDATE takedowns t SET completed_at = COALESCE(t.completed_at, @At)
            FROM hit WHERE t.takedown_id = hit.takedown_id
            RETURNING t.takedown_id AS TakedownId, t.decision_id AS DecisionId, t.platform AS Platform, t.content_id AS ContentId, t.version AS Version,
                      t.requested_by AS RequestedBy, t.requested_at AS RequestedAt, t.completed_at AS CompletedAt, hit.fresh AS Fresh
            """, new { Platform = platform, ContentId = contentId, Version = version, TakedownId = takedownId, At = completedAt.UtcDateTime }, cancellationToken: ct))).ToList();
        return new TakedownCompletion(rows.Count > 0,
            rows.Where(r => Cell.Bool(r.Fresh!)).Select(r => Cell.Time(r.CompletedAt!) - Cell.Time(r.RequestedAt)).ToList());
    }

    public async Task<(IncidentRow Incident, IReadOnlyList<OutgoingEvent> Events)> DeclareIncidentAsync(IncidentDeclaration declaration, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var d = declaration;
        var s = d.Scope;
        var args = new
        {
            Id = d.IncidentId, s.Platform, s.AuthorId, s.ContentId, From = s.From?.UtcDateTime, To = s.To?.UtcDateTime,
            d.Description, d.DeclaredBy, DeclaredAt = d.DeclaredAt.UtcDateTime, DueAt = d.DueAt.UtcDateTime,
        };
        var frozen = await conn.ExecuteScalarAsync<int>(new CommandDefinition($"""
            INSERT INTO incidents (incident_id, platform, author_id, content_id, from_at, to_at, description, declared_by, declared_at, due_at, frozen_records)
            VALUES (@Id, @Platform, @AuthorId, @ContentId, @From, @To, @Description, @DeclaredBy, @DeclaredAt, @DueAt, 0);
            INSERT INTO incident_records (incident_id, platform, content_id, version)
            SELECT @Id, r.platform, r.content_id, r.version FROM post_records r WHERE {ScopeFilter};
            -- Clause 6: preserve the original records. The retention purge skips held rows.
            UPDATE post_records r SET legal_hold = true WHERE {ScopeFilter} AND NOT r.legal_hold;
            UPDATE incidents SET frozen_records = (SELECT count(*) FROM incident_records WHERE incident_id = @Id)
            WHERE incident_id = @Id RETURNING frozen_records;
            """, args, tx, cancellationToken: ct));
        var incident = new IncidentRow(d.IncidentId, s.Platform, s.AuthorId, s.ContentId, s.From, s.To, d.Description, d.DeclaredBy, d.DeclaredAt,
            d.DueAt, frozen, null, null, null, null, null, null, null, null);
        var events = new List<OutgoingEvent> { ComplianceEvents.IncidentDeclared(Declared(incident)) };
        await PostgresReviewOutbox.StageAsync(conn, tx, events, d.DeclaredAt, ct);
        await tx.CommitAsync(ct);
        return (incident, events);
    }

    internal static MajorIncidentDeclared Declared(IncidentRow i) => new()
    {
        IncidentId = i.IncidentId, Platform = i.Platform, AuthorId = i.AuthorId, ContentId = i.ContentId, From = i.From, To = i.To,
        Description = i.Description, DeclaredBy = i.DeclaredBy, DeclaredAt = i.DeclaredAt, DueAt = i.DueAt, FrozenRecords = i.FrozenRecords,
    };

    public async Task<IReadOnlyList<IncidentRow>> ListIncidentsAsync(int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<IncidentCells>(new CommandDefinition(
            $"SELECT {IncidentColumns} FROM incidents ORDER BY declared_at DESC, incident_id LIMIT @Limit", new { Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRow()).ToList();
    }

    public async Task<IncidentDetail?> GetIncidentAsync(Guid incidentId, int recordLimit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var incident = await conn.QuerySingleOrDefaultAsync<IncidentCells>(new CommandDefinition(
            $"SELECT {IncidentColumns} FROM incidents WHERE incident_id = @Id", new { Id = incidentId }, cancellationToken: ct));
        if (incident is null)
            return null;
        var records = await conn.QueryAsync<IncidentRecordCells>(new CommandDefinition("""
            SELECT i.platform AS Platform, i.content_id AS ContentId, i.version AS Version, r.author_id AS AuthorId, r.published_at AS PublishedAt,
                   host(r.source_ip) AS SourceIp, r.source_port AS SourcePort, r.content_sha256 AS ContentSha256, r.legal_hold AS LegalHold
            FROM incident_records i
            JOIN post_records r ON r.platform = i.platform AND r.content_id = i.content_id AND r.version = i.version
            WHERE i.incident_id = @Id
            ORDER BY r.published_at, i.content_id, i.version
            LIMIT @Limit
            """, new { Id = incidentId, Limit = recordLimit }, cancellationToken: ct));
        return new IncidentDetail(incident.ToRow(), records.Select(r => r.ToRow()).ToList());
    }

    public async Task<IReadOnlyList<OutgoingEvent>> RunIncidentClocksAsync(DateTimeOffset now, TimeSpan remindBefore, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { Now = now.UtcDateTime, RemindFrom = (now + remindBefore).UtcDateTime };
        var reminders = await conn.QueryAsync<IncidentCells>(new CommandDefinition($"""
            UPDATE incidents SET reminded_at = @Now
            WHERE incident_id IN (SELECT incident_id FROM incidents
                                  WHERE reminded_at IS NULL AND reported_at IS NULL AND closed_at IS NULL AND due_at <= @RemindFrom
                                  FOR UPDATE SKIP LOCKED)
              AND reminded_at IS NULL
            RETURNING {IncidentColumns}
            """, args, tx, cancellationToken: ct));
        var overdue = await conn.QueryAsync<IncidentCells>(new CommandDefinition($"""
            UPDATE incidents SET overdue_at = @Now
            WHERE incident_id IN (SELECT incident_id FROM incidents
                                  WHERE overdue_at IS NULL AND reported_at IS NULL AND closed_at IS NULL AND due_at <= @Now
                                  FOR UPDATE SKIP LOCKED)
              AND overdue_at IS NULL
            RETURNING {IncidentColumns}
            """, args, tx, cancellationToken: ct));
        var events = reminders.Select(r => r.ToRow()).Select(i => ComplianceEvents.IncidentReminder(i.IncidentId, i.Platform, i.DueAt, now))
            .Concat(overdue.Select(r => r.ToRow()).Select(i => ComplianceEvents.IncidentOverdue(i.IncidentId, i.Platform, i.DueAt, now)))
            .ToList();
        await PostgresReviewOutbox.StageAsync(conn, tx, events, now, ct);
        await tx.CommitAsync(ct);
        return events;
    }
}
