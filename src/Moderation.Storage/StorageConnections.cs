using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderation.Storage;

/// <summary>
/// The configured database, shared by every store of one app: one PostgreSQL data source (one connection
/// pool), or the SQLite connection string.
/// </summary>
internal sealed class StorageConnections(IOptions<StorageOptions> options) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _postgres = new(() => NpgsqlDataSource.Create(options.Value.ConnectionString!));

    public StorageOptions Options => options.Value;

    public bool IsPostgres => Options.Provider == StorageOptions.Postgres;

    public NpgsqlDataSource Postgres => _postgres.Value;

    public string Sqlite => Options.ConnectionString ?? StorageOptions.DefaultSqlite;

    public async ValueTask DisposeAsync()
    {
        if (_postgres.IsValueCreated)
            await _postgres.Value.DisposeAsync();
    }
}
