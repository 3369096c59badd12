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
