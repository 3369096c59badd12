using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Storage;
using Moderation.Storage.Review;

namespace Moderation.Integration.Tests.Storage;

public sealed class SqliteModerationStoreTests : ModerationStoreContract, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"moderation-test-{Guid.NewGuid():N}.db");
    private readonly string _cs;
    private readonly SqliteModerationStore _store;
    private readonly int _applied;

    public SqliteModerationStoreTests()
    {
        _cs = $"Data Source={_path};Pooling=false";
        _applied = DatabaseMigrator.ApplySqlite(_cs);
        _store = new SqliteModerationStore(_cs);
    }

    protected override IModerationStore Store => _store;
    protected override IReviewQueue Queue => new SqliteReviewQueue(_cs, Time);
    protected override IReviewCommands Commands => new SqliteReviewCommands(_cs, Time);
    protected override IAuditLog Audit => new SqliteAuditLog(_cs, Time);
    protected override IReviewOutbox Outbox => new SqliteReviewOutbox(_cs, Time);

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_path);
    }

    protected override async Task<(string? Update, string? Delete)> TryRewriteAuditLogAsync()
    {
        await using var conn = new SqliteConnection(_cs);
        await conn.OpenAsync();
        async Task<string?> Refusal(string sql)
        {
            try { await conn.ExecuteAsync(sql); return null; }
            catch (SqliteException e) { return e.Message; }
        }
        return (await Refusal("UPDATE review_audit_log SET actor = 'someone-else'"), await Refusal("DELETE FROM review_audit_log"));
    }

    [Fact]
    public void Migrations_run_once_and_a_second_run_finds_nothing_to_do()
    {
        Assert.Equal(Directory.GetFiles(PostgresModerationStoreTests.MigrationsFolder("Sqlite"), "*.sql").Length, _applied);
        Assert.Equal(0, DatabaseMigrator.ApplySqlite(_cs));
    }
}
