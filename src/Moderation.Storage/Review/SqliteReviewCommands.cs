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
public sealed class SqliteReviewCommands(string connectionString, TimeProvider time, Banks.BankFiling? banks = null) : IReviewCommands
{
    public async Task<CommandResult> ClaimAsync(ReviewActor actor, Guid id, TimeSpan lease, int maxOpenClaims, CancellationToken ct)
    {
        // The immediate transaction holds SQLite's write lock, so the count and the claim cannot interleave with another claim.
        const string countSql = """
            SELECT count(*) FROM quarantine
            WHERE claimed_by = @User AND claim_expires_at >= @Now AND status IN ('pending', 'escalated') AND decision_id <> @Id
            """;
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
        var held = await conn.ExecuteScalarAsync<int>(new CommandDefinition(countSql, new { User = actor.Name, Now = Ts(now), Id = Id(id) }, tx, cancellationToken: ct));
        if (held >= maxOpenClaims)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.TooManyClaims(held, maxOpenClaims, (await StateAsync(conn, id, ct))?.Status);
        }
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
        const string decideSql = """
            UPDATE quarantine
            SET status = @NewStatus, decided_by = @User, decided_at = @Now, decision_reason = @Reason,
                categories = coalesce(@Categories, categories),
                claimed_by = NULL, claim_expires_at = NULL
            WHERE decision_id = @Id AND status IN @Statuses
              AND (@Override OR (claimed_by = @User AND claim_expires_at >= @Now))
            RETURNING categories
            """;
        const string escalateSql = """
            UPDATE quarantine
            SET status = 'escalated', escalated_by = @User, escalated_at = @Now, escalation_reason = @Reason,
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
        if (!string.IsNullOrWhiteSpace(cmd.Notes))
            await InsertNoteAsync(conn, tx, id, actor, now, cmd.Notes, NoteKinds.Decision, ct);
        IReadOnlyList<OutgoingEvent> events = [];
        object? bankChange = null;
        if (!escalate)
        {
            // The record and decision exactly as the worker stored (and hashed) them.
            var stored = await conn.QuerySingleAsync<Evidence>(new CommandDefinition(
                "SELECT evidence_json AS Json, evidence_sha256 AS Sha256 FROM decisions WHERE decision_id = @Id", new { Id = Id(id) }, tx, cancellationToken: ct));
            var (post, held) = EvidenceSnapshot.Read(stored.Json);
            if (cmd.Action == ReviewActions.Confirm)
            {
                var order = TakedownOrder.ByModerator(post, held, categories, actor.Name, cmd.Reason, now);
                // Content banks (issue 11): the confirmed text joins its categories' banks in this same transaction.
                bankChange = await Banks.SqliteBankStore.FileConfirmedAsync(conn, tx, banks, actor, id, post.Text, categories, held.Hits, now, ct);
                await SqliteTakedowns.OpenAsync(conn, tx, order, now + reportDue, ct);
                events = DecisionEvents.ForTakedown(post, order, stored.Sha256);
            }
            else
            {
                events = DecisionEvents.ForRelease(post, held, actor.Name, cmd.Reason, now);
                // ... and a release takes out the confirm-made entries that held this item.
                bankChange = await Banks.SqliteBankStore.RemoveReleasedAsync(conn, tx, banks, actor, id, held.Hits, cmd.Reason, now, ct);
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
            new { reason = cmd.Reason, notes = cmd.Notes, categories, bulk = overrideClaim, events = events.Select(e => e.MessageId), banks = bankChange }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: ReviewRules.NewStatus(cmd.Action)) { Events = events };
    }

    public async Task<CommandResult> AddNoteAsync(ReviewActor actor, Guid id, string text, CancellationToken ct)
    {
        const string sql = "SELECT status FROM quarantine WHERE decision_id = @Id AND status IN @Statuses";
        var now = time.GetUtcNow();
        await using var conn = await OpenAsync(connectionString, ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var status = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(sql,
            new { Id = Id(id), Statuses = ReviewRules.NoteStatusesFor(actor) }, tx, cancellationToken: ct));
        if (status is null)
        {
            await tx.RollbackAsync(ct);
            return ReviewRules.ExplainNote(await StateAsync(conn, id, ct), actor, id);
        }
        await InsertNoteAsync(conn, tx, id, actor, now, text, NoteKinds.Note, ct);
        await SqliteAuditLog.AppendAsync(conn, tx, actor, AuditActions.Note, id, new { text }, now, ct);
        await tx.CommitAsync(ct);
        return new CommandResult(Outcome.Done, Status: status);
    }

    private static Task InsertNoteAsync(SqliteConnection conn, SqliteTransaction tx, Guid id, ReviewActor actor, DateTimeOffset at, string text, string kind, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO review_notes (decision_id, author, written_at, text, kind) VALUES (@Id, @Author, @At, @Text, @Kind)",
            new { Id = Id(id), Author = actor.Name, At = Ts(at), Text = text.Trim(), Kind = kind }, tx, cancellationToken: ct));

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
