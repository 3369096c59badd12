using System.Data;
using Dapper;
using Moderation.Contracts;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Storage.Banks;

/// <summary>
/// Content banks on PostgreSQL (migration 0400). Each change is one transaction: the next bank version (the
/// bank_version row lock orders bank writers, so versions commit in order), the rows, and the audit row.
/// Reads that must agree with a version (load, changes since) run in one REPEATABLE READ snapshot.
/// </summary>
public sealed class PostgresBankStore(NpgsqlDataSource db, TimeProvider time) : IBankStore
{
    private const string EntryColumns = """
        b.name AS Bank, e.entry_id AS EntryId, b.category AS Category, b.sub_label AS SubLabel,
        b.action AS Action, b.threshold AS Threshold, e.text AS Text
        """;

    public async Task<long> VersionAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM bank_version WHERE id = 1", cancellationToken: ct));
    }

    public async Task<BankContents?> LoadAsync(long? asOf, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {EntryColumns}
            FROM bank_entries e JOIN banks b USING (bank_id)
            WHERE e.added_version <= @V AND (e.ended_version IS NULL OR e.ended_version > @V)
              AND (SELECT t.enabled FROM bank_toggles t WHERE t.bank_id = b.bank_id AND t.version <= @V ORDER BY t.version DESC LIMIT 1)
            ORDER BY e.entry_id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var current = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM bank_version WHERE id = 1", transaction: tx, cancellationToken: ct));
        var v = asOf ?? current;
        if (v > current)
            return null;
        var rows = await conn.QueryAsync<ChangedEntry>(new CommandDefinition(sql, new { V = v }, tx, cancellationToken: ct));
        return new BankContents(v, rows.Select(r => r.ToActive()).ToList());
    }

    public async Task<BankDelta> ChangesSinceAsync(long since, CancellationToken ct)
    {
        const string toggled = """
            SELECT DISTINCT b.name FROM bank_toggles t JOIN banks b USING (bank_id) WHERE t.version > @Since
            """;
        const string entries = $"""
            SELECT {EntryColumns}, (e.state = 'active' AND b.enabled) AS InForce
            FROM bank_entries e JOIN banks b USING (bank_id)
            WHERE e.added_version > @Since OR e.ended_version > @Since
            """;
        const string reset = $"""
            SELECT {EntryColumns}
            FROM bank_entries e JOIN banks b USING (bank_id)
            WHERE b.name = ANY(@Banks) AND b.enabled AND e.state = 'active'
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var v = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM bank_version WHERE id = 1", transaction: tx, cancellationToken: ct));
        if (v <= since)
            return new BankDelta(v, [], [], []);
        var resetBanks = (await conn.QueryAsync<string>(new CommandDefinition(toggled, new { Since = since }, tx, cancellationToken: ct))).AsList();
        var changed = (await conn.QueryAsync<ChangedEntry>(new CommandDefinition(entries, new { Since = since }, tx, cancellationToken: ct))).AsList();
        var upserts = changed.Where(c => c.InForce).Select(c => c.ToActive()).ToList();
        var removals = changed.Where(c => !c.InForce).Select(c => (c.Bank, c.EntryId)).ToList();
        if (resetBanks.Count > 0)
            upserts.AddRange((await conn.QueryAsync<ChangedEntry>(new CommandDefinition(reset, new { Banks = resetBanks.ToArray() }, tx, cancellationToken: ct))).Select(r => r.ToActive()));
        return new BankDelta(v, resetBanks, upserts, removals);
    }

    public async Task<BankChangeResult> CreateBankAsync(ReviewActor actor, NewBank bank, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var version = await NextVersionAsync(conn, tx, ct);
        var id = await InsertBankAsync(conn, tx, actor, bank, version, now, ct);
        if (id is null)
        {
            await tx.RollbackAsync(ct);
            return new BankChangeResult(Outcome.Conflict, $"A bank named {bank.Name} exists.");
        }
        await PostgresAuditLog.AppendAsync(conn, tx, actor, BankAuditActions.Create, null,
            new { bank = bank.Name, bank.Category, bank.SubLabel, bank.Action, bank.Threshold, bank.Description, version }, now, ct);
        await tx.CommitAsync(ct);
        return BankChangeResult.Done(version);
    }

    public async Task<BankChangeResult> SetBankEnabledAsync(ReviewActor actor, string bank, bool enabled, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var version = await NextVersionAsync(conn, tx, ct);
        var row = await conn.QuerySingleOrDefaultAsync<BankState>(new CommandDefinition(
            "SELECT bank_id AS BankId, enabled AS Enabled FROM banks WHERE name = @Name FOR UPDATE", new { Name = bank }, tx, cancellationToken: ct));
        if (row is null || row.Enabled == enabled)
        {
            await tx.RollbackAsync(ct);
            return row is null
                ? new BankChangeResult(Outcome.NotFound, $"No bank named {bank}.")
                : new BankChangeResult(Outcome.Conflict, $"Bank {bank} is already {(enabled ? "enabled" : "disabled")}.");
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE banks SET enabled = @Enabled WHERE bank_id = @BankId;
            INSERT INTO bank_toggles (version, bank_id, enabled, actor, at) VALUES (@Version, @BankId, @Enabled, @Actor, @At);
            """, new { Enabled = enabled, row.BankId, Version = version, Actor = actor.Name, At = now }, tx, cancellationToken: ct));
        await PostgresAuditLog.AppendAsync(conn, tx, actor, enabled ? BankAuditActions.Enable : BankAuditActions.Disable, null,
            new { bank, reason, version }, now, ct);
        await tx.CommitAsync(ct);
        return BankChangeResult.Done(version);
    }

    public async Task<BankChangeResult> AddEntriesAsync(ReviewActor actor, string bank, string origin, IReadOnlyList<NewBankEntry> entries, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var version = await NextVersionAsync(conn, tx, ct);
        var bankId = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT bank_id FROM banks WHERE name = @Name", new { Name = bank }, tx, cancellationToken: ct));
        if (bankId is null)
        {
            await tx.RollbackAsync(ct);
            return new BankChangeResult(Outcome.NotFound, $"No bank named {bank}.");
        }
        var ids = await InsertEntriesAsync(conn, tx, bankId.Value, origin, null, actor.Name, entries, version, now, ct);
        await PostgresAuditLog.AppendAsync(conn, tx, actor, BankAuditActions.AddEntries, null, AddDetails(bank, origin, ids, entries, version), now, ct);
        await tx.CommitAsync(ct);
        return BankChangeResult.Done(version) with { EntryIds = ids };
    }

    public async Task<BankChangeResult> DisableEntryAsync(ReviewActor actor, long entryId, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var version = await NextVersionAsync(conn, tx, ct);
        var row = await conn.QuerySingleOrDefaultAsync<EntryState>(new CommandDefinition("""
            SELECT b.name AS Bank, e.entry_id AS EntryId, e.state AS State FROM bank_entries e JOIN banks b USING (bank_id) WHERE e.entry_id = @Id FOR UPDATE OF e
            """, new { Id = entryId }, tx, cancellationToken: ct));
        if (row is null || row.State != BankRules.Active)
        {
            await tx.RollbackAsync(ct);
            return row is null
                ? new BankChangeResult(Outcome.NotFound, $"No bank entry {entryId}.")
                : new BankChangeResult(Outcome.Conflict, $"Bank entry {entryId} is already {row.State}.");
        }
        await EndEntriesAsync(conn, tx, [entryId], BankRules.Disabled, actor.Name, reason, version, now, ct);
        await PostgresAuditLog.AppendAsync(conn, tx, actor, BankAuditActions.DisableEntry, null, new { bank = row.Bank, entryId, reason, version }, now, ct);
        await tx.CommitAsync(ct);
        return BankChangeResult.Done(version) with { EntryIds = [entryId] };
    }

    public async Task<IReadOnlyList<BankRecord>> ListBanksAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<BankRow>(new CommandDefinition(SelectBanks + " ORDER BY b.name", cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<BankRecord?> GetBankAsync(string bank, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<BankRow>(new CommandDefinition(SelectBanks + " WHERE b.name = @Name", new { Name = bank }, cancellationToken: ct));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<BankEntryRecord>> SearchEntriesAsync(BankEntryQuery query, CancellationToken ct)
    {
        const string sql = """
            SELECT e.entry_id AS EntryId, b.name AS Bank, e.text AS Text, e.source AS Source, e.note AS Note, e.origin AS Origin,
                   e.decision_id AS DecisionId, e.added_by AS AddedBy, e.added_at AS AddedAt, e.added_version AS AddedVersion,
                   e.state AS State, e.ended_by AS EndedBy, e.ended_at AS EndedAt, e.ended_version AS EndedVersion, e.end_reason AS EndReason
            FROM bank_entries e JOIN banks b USING (bank_id)
            WHERE (@Bank::text IS NULL OR b.name = @Bank)
              AND (@State::text IS NULL OR e.state = @State)
              AND (@Text::text IS NULL OR strpos(e.text, @Text) > 0)
              AND (@Before::bigint IS NULL OR e.entry_id < @Before)
            ORDER BY e.entry_id DESC
            LIMIT @Limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EntryRow>(new CommandDefinition(sql,
            new { query.Bank, query.State, query.Text, query.Before, query.Limit }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>
    /// Inside a moderator's confirm: the item's text into the bank of each of its categories (created on first
    /// use), unless it is too short to match or was itself held as a near-copy of an entry of that bank. Returns
    /// what it did, for the confirm's audit row; appends a bank audit row of its own when it added anything.
    /// </summary>
    internal static async Task<object?> FileConfirmedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BankFiling? filing, ReviewActor actor,
        Guid decisionId, string text, IReadOnlyList<int> categories, IReadOnlyList<KeywordHit> heldHits, DateTimeOffset now, CancellationToken ct)
    {
        if (filing is null || !filing.Options.FillOnConfirm)
            return null;
        var plan = BankFilingPlan.ForConfirm(filing, text, categories, heldHits);
        if (plan.Targets.Count == 0)
            return new { skipped = plan.Skipped };
        var version = await NextVersionAsync(conn, tx, ct);
        var added = new List<object>();
        foreach (var target in plan.Targets)
        {
            var bankId = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT bank_id FROM banks WHERE name = @Name", new { Name = target.Name }, tx, cancellationToken: ct))
                ?? await InsertBankAsync(conn, tx, actor, target, version, now, ct)
                ?? throw new InvalidOperationException($"Bank {target.Name} could not be created.");
            var ids = await InsertEntriesAsync(conn, tx, bankId, BankRules.OriginConfirm, decisionId, actor.Name, [new NewBankEntry(text, "confirm", null)], version, now, ct);
            added.Add(new { bank = target.Name, entryId = ids[0] });
        }
        var details = new { decisionId, origin = BankRules.OriginConfirm, added, skipped = plan.Skipped, version };
        await PostgresAuditLog.AppendAsync(conn, tx, actor, BankAuditActions.AddEntries, decisionId, details, now, ct);
        return details;
    }

    /// <summary>Inside a moderator's release: the confirm-made entries whose hits held this item come out of their banks.</summary>
    internal static async Task<object?> RemoveReleasedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, BankFiling? filing, ReviewActor actor,
        Guid decisionId, IReadOnlyList<KeywordHit> heldHits, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (filing is null || !filing.Options.RemoveOnRelease)
            return null;
        var ids = BankHits.All(heldHits).Select(h => h.EntryId).Distinct().ToArray();
        if (ids.Length == 0)
            return null;
        var version = await NextVersionAsync(conn, tx, ct);
        var removable = (await conn.QueryAsync<EntryState>(new CommandDefinition("""
            SELECT e.entry_id AS EntryId, b.name AS Bank, e.state AS State FROM bank_entries e JOIN banks b USING (bank_id)
            WHERE e.entry_id = ANY(@Ids) AND e.origin = 'confirm' AND e.state = 'active'
            ORDER BY e.entry_id FOR UPDATE OF e
            """, new { Ids = ids }, tx, cancellationToken: ct))).AsList();
        if (removable.Count == 0)
            return null; // the version taken is unused: harmless, a worker finds nothing to do
        await EndEntriesAsync(conn, tx, removable.Select(r => r.EntryId).ToArray(), BankRules.Removed, actor.Name, reason, version, now, ct);
        var details = new { decisionId, removed = removable.Select(r => new { bank = r.Bank, entryId = r.EntryId }), reason, version };
        await PostgresAuditLog.AppendAsync(conn, tx, actor, BankAuditActions.RemoveEntries, decisionId, details, now, ct);
        return details;
    }

    private static Task<long> NextVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE bank_version SET version = version + 1 WHERE id = 1 RETURNING version", transaction: tx, cancellationToken: ct));

    /// <summary>Null when a bank of that name exists (the insert does nothing).</summary>
    private static async Task<long?> InsertBankAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ReviewActor actor, NewBank bank, long version, DateTimeOffset now, CancellationToken ct)
    {
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            INSERT INTO banks (name, category, sub_label, action, threshold, enabled, description, created_by, created_at, created_version)
            VALUES (@Name, @Category, @SubLabel, @Action, @Threshold, true, @Description, @Actor, @At, @Version)
            ON CONFLICT (name) DO NOTHING
            RETURNING bank_id
            """, new { bank.Name, bank.Category, bank.SubLabel, bank.Action, bank.Threshold, bank.Description, Actor = actor.Name, At = now, Version = version }, tx, cancellationToken: ct));
        if (id is null)
            return null;
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO bank_toggles (version, bank_id, enabled, actor, at) VALUES (@Version, @BankId, true, @Actor, @At)",
            new { Version = version, BankId = id, Actor = actor.Name, At = now }, tx, cancellationToken: ct));
        return id;
    }

    private static async Task<IReadOnlyList<long>> InsertEntriesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long bankId, string origin, Guid? decisionId,
        string addedBy, IReadOnlyList<NewBankEntry> entries, long version, DateTimeOffset now, CancellationToken ct)
    {
        // One statement for the whole batch (an import may hold many thousands of lines); ids come back in input order.
        var ids = await conn.QueryAsync<long>(new CommandDefinition("""
            INSERT INTO bank_entries (bank_id, text, source, note, origin, decision_id, added_by, added_at, added_version)
            SELECT @BankId, u.text, u.source, u.note, @Origin, @DecisionId, @AddedBy, @At, @Version
            FROM unnest(@Texts::text[], @Sources::text[], @Notes::text[]) WITH ORDINALITY AS u(text, source, note, n)
            ORDER BY u.n
            RETURNING entry_id
            """, new
        {
            BankId = bankId, Origin = origin, DecisionId = decisionId, AddedBy = addedBy, At = now, Version = version,
            Texts = entries.Select(e => e.Text).ToArray(),
            Sources = entries.Select(e => e.Source).ToArray(),
            Notes = entries.Select(e => e.Note).ToArray(),
        }, tx, cancellationToken: ct));
        return ids.Order().ToList();
    }

    private static Task EndEntriesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long[] ids, string state, string actor, string reason, long version, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            UPDATE bank_entries SET state = @State, ended_by = @Actor, ended_at = @At, ended_version = @Version, end_reason = @Reason
            WHERE entry_id = ANY(@Ids) AND state = 'active'
            """, new { State = state, Actor = actor, At = now, Version = version, Reason = reason, Ids = ids }, tx, cancellationToken: ct));

    internal static object AddDetails(string bank, string origin, IReadOnlyList<long> ids, IReadOnlyList<NewBankEntry> entries, long version) => new
    {
        bank,
        origin,
        count = ids.Count,
        firstEntryId = ids.Count > 0 ? ids[0] : (long?)null,
        lastEntryId = ids.Count > 0 ? ids[^1] : (long?)null,
        sources = entries.Select(e => e.Source).Where(s => s is not null).Distinct(StringComparer.Ordinal).Take(20),
        version,
    };

    private const string SelectBanks = """
        SELECT b.bank_id AS BankId, b.name AS Name, b.category AS Category, b.sub_label AS SubLabel, b.action AS Action,
               b.threshold AS Threshold, b.enabled AS Enabled, b.description AS Description, b.created_by AS CreatedBy,
               b.created_at AS CreatedAt, b.created_version AS CreatedVersion,
               (SELECT count(*) FROM bank_entries e WHERE e.bank_id = b.bank_id AND e.state = 'active') AS ActiveEntries
        FROM banks b
        """;

    private sealed class BankState
    {
        public long BankId { get; set; }
        public bool Enabled { get; set; }
    }

    private sealed class EntryState
    {
        public string Bank { get; set; } = "";
        public long EntryId { get; set; }
        public string State { get; set; } = "";
    }

    private sealed class ChangedEntry
    {
        public string Bank { get; set; } = "";
        public long EntryId { get; set; }
        public int Category { get; set; }
        public string? SubLabel { get; set; }
        public string Action { get; set; } = "";
        public double Threshold { get; set; }
        public string Text { get; set; } = "";
        public bool InForce { get; set; }

        public ActiveBankEntry ToActive() => new(Bank, EntryId, Category, SubLabel, Action, Threshold, Text);
    }

    private sealed class BankRow
    {
        public long BankId { get; set; }
        public string Name { get; set; } = "";
        public int Category { get; set; }
        public string? SubLabel { get; set; }
        public string Action { get; set; } = "";
        public double Threshold { get; set; }
        public bool Enabled { get; set; }
        public string? Description { get; set; }
        public string CreatedBy { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public long CreatedVersion { get; set; }
        public long ActiveEntries { get; set; }

        public BankRecord ToRecord() => new(BankId, Name, Category, SubLabel, Action, Threshold, Enabled, Description, CreatedBy,
            PostgresValues.Utc(CreatedAt), CreatedVersion, ActiveEntries);
    }

    private sealed class EntryRow
    {
        public long EntryId { get; set; }
        public string Bank { get; set; } = "";
        public string Text { get; set; } = "";
        public string? Source { get; set; }
        public string? Note { get; set; }
        public string Origin { get; set; } = "";
        public Guid? DecisionId { get; set; }
        public string AddedBy { get; set; } = "";
        public DateTime AddedAt { get; set; }
        public long AddedVersion { get; set; }
        public string State { get; set; } = "";
        public string? EndedBy { get; set; }
        public DateTime? EndedAt { get; set; }
        public long? EndedVersion { get; set; }
        public string? EndReason { get; set; }

        public BankEntryRecord ToRecord() => new(EntryId, Bank, Text, Source, Note, Origin, DecisionId, AddedBy, PostgresValues.Utc(AddedAt), AddedVersion,
            State, EndedBy, EndedAt is { } e ? PostgresValues.Utc(e) : null, EndedVersion, EndReason);
    }
}
