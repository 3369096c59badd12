using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;
using Dapper;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Npgsql;

namespace Moderation.Storage.Review;

/// <summary>
/// Claims and decisions on PostgreSQL. Each is one transaction: the state change, its audit row, and for a
/// confirm or release the takedown rows and the events in the outbox, shaped by <see cref="DecisionEvents"/>
/// from the record and decision as the worker stored them.
/// </summary>
public sealed class PostgresReviewCommands(NpgsqlDataSource db, TimeProvider time) : IReviewCommands
{
    /// <summary>
    /// One UPDATE decides the race: a row is claimable while open and unclaimed, lease-lapsed or already ours.
    /// Two concurrent claims both target the row; the second waits for the first's row lock, then PostgreSQL
    /// re-checks the WHERE against the committed row, finds it claimed, and updates nothing. Exactly one wins.
    /// </summary>
    public async Task<CommandResult> ClaimAsync(ReviewActor actor, Guid id, TimeSpan lease, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET claimed_by = @User, claim_expires_at = @Expires
            WHERE decision_id = @Id AND status = ANY(@Statuses)
              AND (claimed_by IS NULL OR claim_expires_at < @Now OR claimed_by = @User)
            RETURNING status
            """;
        var now = time.GetUtcNow();
        var expires = now + lease;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql,
            new { User = actor.Name, Expires = expires, Id = id, Statuses = ReviewRules.StatusesFor(actor), Now = now }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.Explain(await StateAsync(conn, id, ct), actor, id, ReviewActions.Confirm, now, claiming: true);
        }
        await PostgresAuditLog.AppendAsync(conn, tx, actor, AuditActions.Claim, id, new { expires }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status, ClaimExpiresAt: expires);
    }

    public async Task<CommandResult> UnclaimAsync(ReviewActor actor, Guid id, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND claimed_by = @User AND status IN ('pending', 'escalated')
            RETURNING status
            """;
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { Id = id, User = actor.Name }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.Explain(await StateAsync(conn, id, ct), actor, id, ReviewActions.Release, now, claiming: false);
        }
        await PostgresAuditLog.AppendAsync(conn, tx, actor, AuditActions.Unclaim, id, null, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    public async Task<CommandResult> DecideAsync(ReviewActor actor, Guid id, DecideCommand cmd, bool overrideClaim, TimeSpan reportDue, CancellationToken ct)
    {
        const string decideSql = """
            UPDATE quarantine
            SET status = @NewStatus, decided_by = @User, decided_at = @Now, decision_reason = @Reason,
                categories = coalesce(@Categories::integer[], categories),
                notes = CASE WHEN @NoteLine::text IS NULL THEN notes ELSE concat_ws(E'\n', notes, @NoteLine::text) END,
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status = ANY(@Statuses)
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING categories AS Categories
            """;
        const string escalateSql = """
            UPDATE quarantine
            SET status = 'escalated', escalated_by = @User, escalated_at = @Now, escalation_reason = @Reason,
                notes = CASE WHEN @NoteLine::text IS NULL THEN notes ELSE concat_ws(E'\n', notes, @NoteLine::text) END,
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status = ANY(@Statuses)
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING categories AS Categories
            """;
        var now = time.GetUtcNow();
        var escalate = cmd.Action == ReviewActions.Escalate;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var target = await conn.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(escalate ? escalateSql : decideSql, new
        {
            NewStatus = ReviewRules.NewStatus(cmd.Action),
            User = actor.Name,
            Now = now,
            cmd.Reason,
            Categories = cmd.Action == ReviewActions.Confirm ? cmd.Categories?.ToArray() : null,
            NoteLine = string.IsNullOrWhiteSpace(cmd.Notes) ? null : ReviewRules.NoteLine(actor, now, cmd.Notes),
            Id = id,
            Statuses = escalate ? ReviewRules.Pending : ReviewRules.StatusesFor(actor),
            Override = overrideClaim,
        }, tx, cancellationToken: ct));
        if (target is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.Explain(await StateAsync(conn, id, ct), actor, id, cmd.Action, now, claiming: false);
        }

        var categories = target.Categories;
        IReadOnlyList<OutgoingEvent> events = [];
        if (!escalate)
        {
            // The record and decision exactly as the worker stored (and hashed) them.
            var (evidenceJson, evidenceSha256) = await conn.QuerySingleAsync<(string, string)>(new CommandDefinition(
                "SELECT evidence_json, evidence_sha256 FROM decisions WHERE decision_id = @Id", new { Id = id }, tx, cancellationToken: ct));
            var (post, held) = EvidenceSnapshot.Read(evidenceJson);
            if (cmd.Action == ReviewActions.Confirm)
            {
                var order = TakedownOrder.ByModerator(post, held, categories, actor.Name, cmd.Reason, now);
                await PostgresTakedowns.OpenAsync(conn, tx, [(order, now + reportDue)], ct);
                events = DecisionEvents.ForTakedown(post, order, evidenceSha256);
            }
            else
            {
                events = DecisionEvents.ForRelease(post, held, actor.Name, cmd.Reason, now);
            }
            await PostgresReviewOutbox.StageAsync(conn, tx, events, now, ct);
            // The moderator's decision joins the record ledger in the same transaction (docs/compliance.md).
            await PostgresLedger.AppendAsync(conn, tx,
            [
                new PendingEntry(post.Platform, LedgerCanonical.ReviewKind, post.ContentId, post.Version, id,
                    new LedgerReviewRow(post.Platform, post.ContentId, post.Version, id, ReviewRules.NewStatus(cmd.Action), categories, actor.Name, now, cmd.Reason).Canonical()),
            ], now, ct);
        }
        await PostgresAuditLog.AppendAsync(conn, tx, actor, ReviewRules.AuditAction(cmd.Action), id,
            new { reason = cmd.Reason, notes = cmd.Notes, categories, bulk = overrideClaim, events = events.Select(e => e.MessageId) }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: ReviewRules.NewStatus(cmd.Action)) { Events = events };
    }

    public async Task<CommandResult> AddNoteAsync(ReviewActor actor, Guid id, string text, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET notes = concat_ws(E'\n', notes, @Line::text) WHERE decision_id = @Id RETURNING status
            """;
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { Id = id, Line = ReviewRules.NoteLine(actor, now, text) }, tx, cancellationToken: ct));
        if (status is null)
            return CommandResult.NotFound(id);
        await PostgresAuditLog.AppendAsync(conn, tx, actor, AuditActions.Note, id, new { text }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    private static async Task<ItemState?> StateAsync(NpgsqlConnection conn, Guid id, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            "SELECT status AS Status, claimed_by AS ClaimedBy, claim_expires_at AS ClaimExpiresAt FROM quarantine WHERE decision_id = @Id",
            new { Id = id }, cancellationToken: ct));
        return row is null ? null : new ItemState(row.Status, row.ClaimedBy, PostgresValues.Utc(row.ClaimExpiresAt));
    }

    private sealed class Target
    {
        public int[] Categories { get; set; } = [];
    }

    private sealed class StateRow
    {
        public string Status { get; set; } = "";
        public string? ClaimedBy { get; set; }
        public DateTime? ClaimExpiresAt { get; set; }
    }
}
