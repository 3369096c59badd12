using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;
using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using static Moderation.Storage.SqliteDatabase;

namespace Moderation.Storage.Review;

/// <summary>
/// Claims and decisions on SQLite: the same rules and the same one-transaction shape as on PostgreSQL.
/// Every command runs in an immediate transaction (SQLite's single writer lock), so of two concurrent
/// claims the second sees the first's committed claim and updates nothing: exactly one wins.
/// </summary>
public sealed class SqliteReviewCommands(string connectionString, TimeProvider time) : IReviewCommands
{
    private const string NotesAppend = "CASE WHEN @NoteLine IS NULL THEN notes WHEN notes IS NULL THEN @NoteLine ELSE notes || char(10) || @NoteLine END";

    public async Task<CommandResult> ClaimAsync(ReviewActor actor, Guid id, TimeSpan lease, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET claimed_by = @User, claim_expires_at = @Expires
            WHERE decision_id = @Id AND status IN @Statuses
              AND (claimed_by IS NULL OR claim_expires_at < @Now OR claimed_by = @User)
            RETURNING status
            """;
        var now = time.GetUtcNow();
        var expires = now + lease;
        await using var conn = await OpenAsync(connectionString, ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql,
            new { User = actor.Name, Expires = Ts(expires), Id = Id(id), Statuses = ReviewRules.StatusesFor(actor), Now = Ts(now) }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.Explain(await StateAsync(conn, id, ct), actor, id, ReviewActions.Confirm, now, claiming: true);
        }
        await SqliteAuditLog.AppendAsync(conn, tx, actor, AuditActions.Claim, id, new { expires }, now, ct);
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
        await using var conn = await OpenAsync(connectionString, ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { Id = Id(id), User = actor.Name }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.Explain(await StateAsync(conn, id, ct), actor, id, ReviewActions.Release, now, claiming: false);
        }
        await SqliteAuditLog.AppendAsync(conn, tx, actor, AuditActions.Unclaim, id, null, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    public async Task<CommandResult> DecideAsync(ReviewActor actor, Guid id, DecideCommand cmd, bool overrideClaim, TimeSpan reportDue, CancellationToken ct)
    {
        const string decideSql = $"""
            UPDATE quarantine
            SET status = @NewStatus, decided_by = @User, decided_at = @Now, decision_reason = @Reason,
                categories = coalesce(@Categories, categories),
                notes = {NotesAppend},
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status IN @Statuses
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING categories
            """;
        const string escalateSql = $"""
            UPDATE quarantine
            SET status = 'escalated', escalated_by = @User, escalated_at = @Now, escalation_reason = @Reason,
                notes = {NotesAppend},
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status IN @Statuses
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING categories
            """;
        var now = time.GetUtcNow();
        var escalate = cmd.Action == ReviewActions.Escalate;
        await using var conn = await OpenAsync(connectionString, ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var categoriesJson = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(escalate ? escalateSql : decideSql, new
        {
            NewStatus = ReviewRules.NewStatus(cmd.Action),
            User = actor.Name,
            Now = Ts(now),
            cmd.Reason,
            Categories = cmd.Action == ReviewActions.Confirm && cmd.Categories is { } corrected ? JsonText(corrected) : null,
            NoteLine = string.IsNullOrWhiteSpace(cmd.Notes) ? null : ReviewRules.NoteLine(actor, now, cmd.Notes),
            Id = Id(id),
            Statuses = escalate ? ReviewRules.Pending : ReviewRules.StatusesFor(actor),
            Override = overrideClaim,
        }, tx, cancellationToken: ct));
        if (categoriesJson is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.Explain(await StateAsync(conn, id, ct), actor, id, cmd.Action, now, claiming: false);
        }

        var categories = FromJson<List<int>>(categoriesJson);
        IReadOnlyList<OutgoingEvent> events = [];
        if (!escalate)
        {
            // The record and decision exactly as the worker stored (and hashed) them.
            var stored = await conn.QuerySingleAsync<Evidence>(new CommandDefinition(
                "SELECT evidence_json AS Json, evidence_sha256 AS Sha256 FROM decisions WHERE decision_id = @Id", new { Id = Id(id) }, tx, cancellationToken: ct));
            var (post, held) = EvidenceSnapshot.Read(stored.Json);
            if (cmd.Action == ReviewActions.Confirm)
            {
                var order = TakedownOrder.ByModerator(post, held, categories, actor.Name, cmd.Reason, now);
                await SqliteTakedowns.OpenAsync(conn, tx, order, now + reportDue, ct);
                events = DecisionEvents.ForTakedown(post, order, stored.Sha256);
            }
            else
            {
                events = DecisionEvents.ForRelease(post, held, actor.Name, cmd.Reason, now);
            }
            await SqliteReviewOutbox.StageAsync(conn, tx, events, now, ct);
            // The moderator's decision joins the record ledger in the same transaction (docs/compliance.md).
            await SqliteLedger.AppendAsync(conn, tx,
            [
                new PendingEntry(post.Platform, LedgerCanonical.ReviewKind, post.ContentId, post.Version, id,
                    new LedgerReviewRow(post.Platform, post.ContentId, post.Version, id, ReviewRules.NewStatus(cmd.Action), categories, actor.Name, now, cmd.Reason).Canonical()),
            ], now, ct);
        }
        await SqliteAuditLog.AppendAsync(conn, tx, actor, ReviewRules.AuditAction(cmd.Action), id,
            new { reason = cmd.Reason, notes = cmd.Notes, categories, bulk = overrideClaim, events = events.Select(e => e.MessageId) }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: ReviewRules.NewStatus(cmd.Action)) { Events = events };
    }

    public async Task<CommandResult> AddNoteAsync(ReviewActor actor, Guid id, string text, CancellationToken ct)
    {
        const string sql = """
            UPDATE quarantine SET notes = CASE WHEN notes IS NULL THEN @Line ELSE notes || char(10) || @Line END
            WHERE decision_id = @Id RETURNING status
            """;
        var now = time.GetUtcNow();
        await using var conn = await OpenAsync(connectionString, ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql, new { Id = Id(id), Line = ReviewRules.NoteLine(actor, now, text) }, tx, cancellationToken: ct));
        if (status is null)
            return CommandResult.NotFound(id);
        await SqliteAuditLog.AppendAsync(conn, tx, actor, AuditActions.Note, id, new { text }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    private static async Task<ItemState?> StateAsync(SqliteConnection conn, Guid id, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            "SELECT status AS Status, claimed_by AS ClaimedBy, claim_expires_at AS ClaimExpiresAt FROM quarantine WHERE decision_id = @Id",
            new { Id = Id(id) }, cancellationToken: ct));
        return row is null ? null : new ItemState(row.Status, row.ClaimedBy, ParseOptionalTs(row.ClaimExpiresAt));
    }

    private sealed class Evidence
    {
        public string Json { get; set; } = "";
        public string Sha256 { get; set; } = "";
    }

    private sealed class StateRow
    {
        public string Status { get; set; } = "";
        public string? ClaimedBy { get; set; }
        public string? ClaimExpiresAt { get; set; }
    }
}
