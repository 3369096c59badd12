using Dapper;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Review.Auth;
using Moderation.Review.Messaging;
using Npgsql;

namespace Moderation.Review.Data;

public static class ReviewActions
{
    public const string Confirm = "confirm";
    public const string Release = "release";
    public const string Escalate = "escalate";
    public static IReadOnlyList<string> All { get; } = [Confirm, Release, Escalate];
}

public enum Outcome { Done, NotFound, Conflict, Forbidden }

public sealed record CommandResult(Outcome Outcome, string? Detail = null, string? Status = null, DateTimeOffset? ClaimExpiresAt = null)
{
    public static CommandResult NotFound(Guid id) => new(Outcome.NotFound, $"No quarantine item {id}.");
}

public sealed record DecideCommand(string Action, string Reason, string? Notes, IReadOnlyList<int>? Categories);

/// <summary>Claims and decisions. Every state change and its audit row (and its events, via the outbox) commit together.</summary>
public sealed class ReviewCommands(NpgsqlDataSource db, AuditLog audit, ReviewOutbox outbox, TimeProvider time, IOptions<ReviewOptions> options)
{
    private static readonly string[] Pending = ["pending"];
    private static readonly string[] Open = ["pending", "escalated"];

    /// <summary>
    /// One UPDATE decides the race: a row is claimable while open and unclaimed, lease-lapsed or already ours.
    /// Two concurrent claims both target the row; the second waits for the first's row lock, then PostgreSQL
    /// re-checks the WHERE against the committed row, finds it claimed, and updates nothing. Exactly one wins.
    /// </summary>
    public async Task<CommandResult> ClaimAsync(Actor actor, Guid id, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET claimed_by = @User, claim_expires_at = @Expires
            WHERE decision_id = @Id AND status = ANY(@Statuses)
              AND (claimed_by IS NULL OR claim_expires_at < @Now OR claimed_by = @User)
            RETURNING status
            """;
        var now = time.GetUtcNow();
        var expires = now + options.Value.ClaimLease;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql,
            new { User = actor.Name, Expires = expires, Id = id, Statuses = StatusesFor(actor), Now = now }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return await ExplainAsync(conn, actor, id, ReviewActions.Confirm, now, claiming: true, ct);
        }
        await audit.WriteAsync(actor, AuditActions.Claim, id, new { expires }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status, ClaimExpiresAt: expires);
    }

    public async Task<CommandResult> UnclaimAsync(Actor actor, Guid id, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND claimed_by = @User AND status IN ('pending', 'escalated')
            RETURNING status
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { Id = id, User = actor.Name }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return await ExplainAsync(conn, actor, id, ReviewActions.Release, time.GetUtcNow(), claiming: false, ct);
        }
        await audit.WriteAsync(actor, AuditActions.Unclaim, id, null, conn, tx, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    /// <summary>
    /// Confirm, release or escalate. A moderator must hold a live claim; <paramref name="overrideClaim"/> (bulk
    /// decisions, supervisors only) decides whoever holds it.
    /// </summary>
    public async Task<CommandResult> DecideAsync(Actor actor, Guid id, DecideCommand cmd, bool overrideClaim, CancellationToken ct)
    {
        const string decideSql = """
            UPDATE quarantine
            SET status = @NewStatus, decided_by = @User, decided_at = @Now, decision_reason = @Reason,
                categories = coalesce(@Categories::integer[], categories),
                notes = CASE WHEN @NoteLine::text IS NULL THEN notes ELSE concat_ws(E'\n', notes, @NoteLine::text) END,
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status = ANY(@Statuses)
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING platform AS Platform, content_id AS ContentId, version AS Version, categories AS Categories
            """;
        const string escalateSql = """
            UPDATE quarantine
            SET status = 'escalated', escalated_by = @User, escalated_at = @Now, escalation_reason = @Reason,
                notes = CASE WHEN @NoteLine::text IS NULL THEN notes ELSE concat_ws(E'\n', notes, @NoteLine::text) END,
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status = ANY(@Statuses)
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING platform AS Platform, content_id AS ContentId, version AS Version, categories AS Categories
            """;
        var now = time.GetUtcNow();
        var escalate = cmd.Action == ReviewActions.Escalate;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(escalate ? escalateSql : decideSql, new
        {
            NewStatus = cmd.Action == ReviewActions.Confirm ? "confirmed" : "released",
            User = actor.Name,
            Now = now,
            cmd.Reason,
            Categories = cmd.Action == ReviewActions.Confirm ? cmd.Categories?.ToArray() : null,
            NoteLine = string.IsNullOrWhiteSpace(cmd.Notes) ? null : NoteLine(actor, now, cmd.Notes),
            Id = id,
            Statuses = escalate ? Pending : StatusesFor(actor),
            Override = overrideClaim,
        }, tx, cancellationToken: ct));
        if (row is null)
        {
            await tx.RollbackAsync(ct);
            return await ExplainAsync(conn, actor, id, cmd.Action, now, claiming: false, ct);
        }

        IReadOnlyList<OutgoingEvent> events = cmd.Action switch
        {
            ReviewActions.Confirm => await ConfirmAsync(conn, tx, actor, id, row, cmd.Reason, now, ct),
            ReviewActions.Release => [new(DeterministicIds.For(id, nameof(ContentReleased)), new ContentReleased
            {
                DecisionId = id, Platform = row.Platform, ContentId = row.ContentId, Version = row.Version,
                ReleasedBy = actor.Name, Reason = cmd.Reason, ReleasedAt = now,
            })],
            _ => [],
        };
        if (events.Count > 0)
            await ReviewOutbox.StageAsync(conn, tx, events, now);
        var auditAction = cmd.Action switch
        {
            ReviewActions.Confirm => AuditActions.Confirm,
            ReviewActions.Release => AuditActions.Release,
            _ => AuditActions.Escalate,
        };
        await audit.WriteAsync(actor, auditAction, id,
            new { reason = cmd.Reason, notes = cmd.Notes, categories = row.Categories, bulk = overrideClaim, events = events.Select(e => e.MessageId) },
            conn, tx, ct);
        await tx.CommitAsync(ct);

        await outbox.PublishCommittedAsync(events, ct);
        return new CommandResult(Outcome.Done, Status: escalate ? "escalated" : cmd.Action == ReviewActions.Confirm ? "confirmed" : "released");
    }

    public async Task<CommandResult> AddNoteAsync(Actor actor, Guid id, string text, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET notes = concat_ws(E'\n', notes, @Line::text) WHERE decision_id = @Id RETURNING status
            """;
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { Id = id, Line = NoteLine(actor, now, text) }, tx, cancellationToken: ct));
        if (status is null)
            return CommandResult.NotFound(id);
        await audit.WriteAsync(actor, AuditActions.Note, id, new { text }, conn, tx, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    /// <summary>Takedown + preservation events, the takedowns row, the regulator report case with its due time, and a legal hold on the record.</summary>
    private async Task<IReadOnlyList<OutgoingEvent>> ConfirmAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, Guid id,
        Target row, string reason, DateTimeOffset now, CancellationToken ct)
    {
        const string recordSql = """
            SELECT p.service_type AS ServiceType, p.author_id AS AuthorId, p.title AS Title, p.body AS Body, p.urls AS Urls,
                   p.published_at AS PublishedAt, p.edited_at AS EditedAt, host(p.source_ip) AS SourceIp, p.source_port AS SourcePort,
                   p.received_at AS ReceivedAt, p.content_sha256 AS ContentSha256, p.retain_until AS RetainUntil,
                   d.evidence_sha256 AS EvidenceSha256
            FROM decisions d
            JOIN post_records p ON p.platform = d.platform AND p.content_id = d.content_id AND p.version = d.version
            WHERE d.decision_id = @Id
            """;
        const string insertSql = """
            INSERT INTO takedowns (takedown_id, decision_id, platform, content_id, version, requested_by, requested_at)
            VALUES (@TakedownId, @Id, @Platform, @ContentId, @Version, @User, @Now)
            ON CONFLICT (takedown_id) DO NOTHING;
            INSERT INTO report_cases (case_id, decision_id, categories, opened_at, due_at)
            VALUES (@CaseId, @Id, @Categories, @Now, @DueAt)
            ON CONFLICT (decision_id) DO NOTHING;
            -- Clause 3: a confirmed post's record is evidence; keep it past retention, as an automatic block does.
            UPDATE post_records SET legal_hold = true
            WHERE platform = @Platform AND content_id = @ContentId AND version = @Version;
            """;
        var r = await conn.QuerySingleAsync<RecordRow>(new CommandDefinition(recordSql, new { Id = id }, tx, cancellationToken: ct));
        var takedownId = DeterministicIds.For(id, "takedown");
        await conn.ExecuteAsync(new CommandDefinition(insertSql, new
        {
            TakedownId = takedownId, Id = id, row.Platform, row.ContentId, row.Version, User = actor.Name, Now = now,
            CaseId = DeterministicIds.For(id, "report-case"), row.Categories, DueAt = now + options.Value.ReportDue,
        }, tx, cancellationToken: ct));

        var post = new PostRecord(row.Platform, row.ContentId, row.Version, r.ServiceType, r.AuthorId, r.Title, r.Body, r.Urls,
            AuditLog.Utc(r.PublishedAt), r.EditedAt is { } e ? AuditLog.Utc(e) : null, r.SourceIp, r.SourcePort,
            AuditLog.Utc(r.ReceivedAt), r.ContentSha256, AuditLog.Utc(r.RetainUntil));
        // Only the identity and the confirmed categories matter to the preservation event.
        var decision = new ModerationDecision(id, ModerationActions.Block, row.Categories, [], [], [reason], "", "", "", now);
        return
        [
            new(DeterministicIds.For(id, nameof(TakedownRequested)), new TakedownRequested
            {
                TakedownId = takedownId, DecisionId = id, Platform = row.Platform, ContentId = row.ContentId, Version = row.Version,
                Categories = row.Categories, Reason = reason, RequestedBy = actor.Name, RequestedAt = now,
            }),
            new(DeterministicIds.For(id, nameof(RecordPreservationRequested)), DecisionEvents.Preservation(post, decision, r.EvidenceSha256, now)),
        ];
    }

    /// <summary>Why a claim or decision matched no row: gone, decided, someone else's, or not this role's queue.</summary>
    private static async Task<CommandResult> ExplainAsync(NpgsqlConnection conn, Actor actor, Guid id, string action, DateTimeOffset now, bool claiming, CancellationToken ct)
    {
        const string sql = "SELECT status AS Status, claimed_by AS ClaimedBy, claim_expires_at AS ClaimExpiresAt FROM quarantine WHERE decision_id = @Id";
        var s = await conn.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
        if (s is null) return CommandResult.NotFound(id);
        if (s.Status is "confirmed" or "released")
            return new(Outcome.Conflict, $"Item is already {s.Status}.", s.Status);
        if (s.Status == "escalated" && action == ReviewActions.Escalate)
            return new(Outcome.Conflict, "Item is already escalated.", s.Status);
        if (s.Status == "escalated" && !actor.IsSupervisor)
            return new(Outcome.Forbidden, "Escalated items are in the supervisors' queue.", s.Status);
        var liveClaim = s.ClaimedBy is not null && s.ClaimExpiresAt is { } exp && AuditLog.Utc(exp) >= now;
        if (liveClaim && s.ClaimedBy != actor.Name)
            return new(Outcome.Conflict, $"Item is claimed by {s.ClaimedBy} until {AuditLog.Utc(s.ClaimExpiresAt!.Value):O}.", s.Status);
        return claiming
            ? new(Outcome.Conflict, "Item could not be claimed; try again.", s.Status)
            : new(Outcome.Conflict, "Claim the item first (your claim is missing or has lapsed).", s.Status);
    }

    private static string[] StatusesFor(Actor actor) => actor.IsSupervisor ? Open : Pending;

    private static string NoteLine(Actor actor, DateTimeOffset now, string text) => $"[{now:yyyy-MM-ddTHH:mm:ssZ} {actor.Name}] {text.Trim()}";

    private sealed class Target
    {
        public string Platform { get; set; } = "";
        public string ContentId { get; set; } = "";
        public long Version { get; set; }
        public int[] Categories { get; set; } = [];
    }

    private sealed class StateRow
    {
        public string Status { get; set; } = "";
        public string? ClaimedBy { get; set; }
        public DateTime? ClaimExpiresAt { get; set; }
    }

    private sealed class RecordRow
    {
        public string ServiceType { get; set; } = "";
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
        public DateTime RetainUntil { get; set; }
        public string EvidenceSha256 { get; set; } = "";
    }
}
