using Dapper;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Storage;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Integration.Tests.Banks;

public sealed class PostgresBankStoreTests : BankStoreContract, IAsyncLifetime
{
    private TemporaryDatabase _db = null!;
    private NpgsqlDataSource _source = null!;

    protected override IModerationStore Store => new PostgresModerationStore(_source);
    protected override IBankStore Banks => new PostgresBankStore(_source, Time);
    protected override IReviewCommands Commands(BankFiling filing) => new PostgresReviewCommands(_source, Time, filing);
    protected override IAuditLog Audit => new PostgresAuditLog(_source, Time);

    public async Task InitializeAsync()
    {
        _db = await TestServices.CreateDatabaseAsync("banks");
        DatabaseMigrator.ApplyPostgres(_db.ConnectionString);
        _source = NpgsqlDataSource.Create(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }

    protected override async Task<string?> TryRewriteTogglesAsync()
    {
        await using var conn = await _source.OpenConnectionAsync();
        try
        {
            await conn.ExecuteAsync("UPDATE bank_toggles SET enabled = NOT enabled");
            return null;
        }
        catch (PostgresException e)
        {
            return e.MessageText;
        }
    }
}
