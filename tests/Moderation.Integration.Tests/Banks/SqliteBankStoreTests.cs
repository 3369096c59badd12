using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Storage;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;

namespace Moderation.Integration.Tests.Banks;

public sealed class SqliteBankStoreTests : BankStoreContract, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"moderation-banks-{Guid.NewGuid():N}.db");
    private readonly string _cs;
    private readonly SqliteModerationStore _store;

    public SqliteBankStoreTests()
    {
        _cs = $"Data Source={_path};Pooling=false";
        DatabaseMigrator.ApplySqlite(_cs);
        _store = new SqliteModerationStore(_cs);
    }

    protected override IModerationStore Store => _store;
    protected override IBankStore Banks => new SqliteBankStore(_cs, Time);
    protected override IReviewCommands Commands(BankFiling filing) => new SqliteReviewCommands(_cs, Time, filing);
    protected override IAuditLog Audit => new SqliteAuditLog(_cs, Time);

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_path);
    }

    protected override async Task<string?> TryRewriteTogglesAsync()
    {
        await using var conn = new SqliteConnection(_cs);
        await conn.OpenAsync();
        try
        {
            await conn.ExecuteAsync("UPDATE bank_toggles SET enabled = 1 - enabled");
            return null;
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }
}
