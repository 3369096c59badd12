using Moderation.Storage;

namespace Moderation.Integration.Tests.Storage;

public sealed class SqliteModerationStoreTests : ModerationStoreContract, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"moderation-test-{Guid.NewGuid():N}.db");
    private readonly SqliteModerationStore _store;

    public SqliteModerationStoreTests()
    {
        var cs = $"Data Source={_path};Pooling=false";
        DatabaseMigrator.ApplySqlite(cs);
        _store = new SqliteModerationStore(cs);
    }

    protected override IModerationStore Store => _store;

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_path);
    }
}
