using Dapper;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Storage;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Integration.Tests.Storage;

public sealed class PostgresModerationStoreTests : ModerationStoreContract, IAsyncLifetime
{
    private TemporaryDatabase _db = null!;
    private NpgsqlDataSource _source = null!;
    private int _applied;

    protected override IModerationStore Store => new PostgresModerationStore(_source);
    protected override IReviewQueue Queue => new PostgresReviewQueue(_source, Time);
    protected override IReviewCommands Commands => new PostgresReviewCommands(_source, Time);
    protected override IAuditLog Audit => new PostgresAuditLog(_source, Time);
    protected override IReviewOutbox Outbox => new PostgresReviewOutbox(_source, Time);
    protected override IReviewSessions Sessions => new PostgresReviewSessions(_source);

    public async Task InitializeAsync()
    {
        _db = await TestServices.CreateDatabaseAsync("store");
        _applied = DatabaseMigrator.ApplyPostgres(_db.ConnectionString);
        _source = NpgsqlDataSource.Create(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }

    protected override async Task<(string? Update, string? Delete)> TryRewriteAuditLogAsync()
    {
        await using var conn = await _source.OpenConnectionAsync();
        async Task<string?> Refusal(string sql)
        {
            try { await conn.ExecuteAsync(sql); return null; }
            catch (PostgresException e) { return e.MessageText; }
        }
        return (await Refusal("UPDATE review_audit_log SET actor = 'someone-else'"), await Refusal("DELETE FROM review_audit_log"));
    }

    [Fact]
    public async Task Truncating_the_audit_log_is_refused_too()
    {
        await using var conn = await _source.OpenConnectionAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync("TRUNCATE review_audit_log"));
        Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quarantine_and_block_rows_are_ready_for_moderators_and_regulators()
    {
        await Store.SaveAsync([Post("q-1", severity: 1, category: 7), Post("b-1", severity: 3)], default);
        await using var conn = await _source.OpenConnectionAsync();
        var q = await conn.QuerySingleAsync<(string Status, int MaxSeverity, int[] Categories, string[] SubLabels)>(
            "SELECT status, max_severity, categories, sub_labels FROM quarantine WHERE content_id = 'q-1'");
        Assert.Equal(("pending", 1), (q.Status, q.MaxSeverity));
        Assert.Equal([7], q.Categories);
        Assert.Equal(["drugs"], q.SubLabels);
        var (hold, dueHours) = await conn.QuerySingleAsync<(bool, double)>("""
            SELECT r.legal_hold, extract(epoch FROM c.due_at - c.opened_at) / 3600
            FROM post_records r JOIN decisions d USING (platform, content_id, version) JOIN report_cases c USING (decision_id)
            WHERE r.content_id = 'b-1'
            """);
        Assert.True(hold);
        Assert.Equal(24, dueHours, 3);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM takedowns WHERE content_id = 'b-1'"));
    }

    [Fact]
    public async Task A_record_altered_in_the_database_is_produced_as_not_intact()
    {
        await Store.SaveAsync([Post("tamper-1")], default);
        await using (var conn = await _source.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE decisions SET evidence_json = replace(evidence_json, '2001:db8::7', '192.0.2.1') WHERE content_id = 'tamper-1'");

        var produced = Assert.Single(await Store.ProduceAsync(new RecordQuery("store-test", ContentId: "tamper-1"), default).ToListAsync());

        Assert.False(produced.EvidenceIntact);
        Assert.Equal("192.0.2.1", produced.Post.Record.SourceIp);
    }

    [Fact]
    public void Migrations_run_once_and_a_second_run_finds_nothing_to_do()
    {
        Assert.Equal(Directory.GetFiles(MigrationsFolder("Postgres"), "*.sql").Length, _applied);
        Assert.Equal(0, DatabaseMigrator.ApplyPostgres(_db.ConnectionString));
    }

    [Fact]
    public async Task Migration_0200_turns_the_old_notes_column_into_rows_by_their_audited_authors()
    {
        await using var old = await TestServices.CreateDatabaseAsync("notes0200");
        DatabaseMigrator.ApplyPostgres(old.ConnectionString, upTo: "0110");
        await using var source = NpgsqlDataSource.Create(old.ConnectionString);
        await using (var conn = await source.OpenConnectionAsync())
        {
            // Two held posts as the 0110 schema holds them (raw rows: today's store writes tables 0110 lacks, the ledger's).
            await conn.ExecuteAsync("""
                INSERT INTO post_records (platform, content_id, version, service_type, author_id, body, published_at, source_ip, received_at, content_sha256, retain_until)
                SELECT 'store-test', c, 1, 'forum', 'author-1', 'body', '2026-11-29T01:59:00Z', '2001:db8::7', '2026-11-29T02:00:00Z', repeat('0', 64), '2027-01-28T02:00:00Z'
                FROM unnest(ARRAY['audited', 'unaccounted']) c;
                INSERT INTO decisions (decision_id, platform, content_id, version, action, categories, scores, hits, reasons, lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256)
                SELECT gen_random_uuid(), platform, content_id, 1, 'quarantine', '{7}', '{}', '[]', '[]', 'lex', 'model', 'policy', received_at, '{}', repeat('0', 64)
                FROM post_records;
                INSERT INTO quarantine (decision_id, platform, content_id, version, service_type, categories, max_severity, top_score, created_at)
                SELECT decision_id, platform, content_id, version, 'forum', categories, 1, 0, decided_at FROM decisions;
                """);
            // What the old code left: a note whose body forged a supervisor's line, stored as one more "[time user]"
            // line, with the real author in its audit row; and text written outside the app, with no audit row.
            await conn.ExecuteAsync("""
                UPDATE quarantine SET notes = E'[2026-11-29T02:00:00Z mod1] fine\n[2026-12-01T09:00:00Z supervisor] Approved by supervisor'
                WHERE content_id = 'audited';
                UPDATE quarantine SET notes = 'typed into the database by hand' WHERE content_id = 'unaccounted';
                INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action, decision_id, details)
                SELECT '2026-11-29T02:00:00Z', 'mod1', '{moderator}', 'password', 'item.note', decision_id,
                       jsonb_build_object('text', E'fine\n[2026-12-01T09:00:00Z supervisor] Approved by supervisor')
                FROM quarantine WHERE content_id = 'audited';
                """);
        }

        DatabaseMigrator.ApplyPostgres(old.ConnectionString);

        await using var check = await source.OpenConnectionAsync();
        var notes = (await check.QueryAsync<(string ContentId, string Author, string Text, string Kind)>("""
            SELECT q.content_id, n.author, n.text, n.kind FROM review_notes n JOIN quarantine q USING (decision_id) ORDER BY q.content_id
            """)).ToList();
        Assert.Equal([("audited", "mod1", "fine\n[2026-12-01T09:00:00Z supervisor] Approved by supervisor", "note"),
                      ("unaccounted", "", "typed into the database by hand", "imported")], notes);
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'quarantine' AND column_name = 'notes'"));
    }

    internal static string MigrationsFolder(string provider)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "src", "Moderation.Storage", "Migrations", provider);
            if (Directory.Exists(folder))
                return folder;
        }
        throw new DirectoryNotFoundException("src/Moderation.Storage/Migrations not found above the test output.");
    }
}
