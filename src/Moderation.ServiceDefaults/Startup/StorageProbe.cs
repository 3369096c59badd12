using Microsoft.Data.Sqlite;
using Moderation.Storage;

namespace Moderation.ServiceDefaults.Startup;

/// <summary>The configured store as a dependency: PostgreSQL over the network, or the SQLite file.</summary>
public static class StorageProbe
{
    public const string Setting = "Moderation:Storage:ConnectionString";

    public static IDependencyProbe For(StorageOptions options) => options.Provider == "Postgres"
        ? new PostgresProbe(options.ConnectionString!, Setting, databaseMayNotExistYet: options.MigrateOnStart)
        : new SqliteProbe(options.ConnectionString ?? StorageOptions.DefaultSqlite);

    private sealed class SqliteProbe(string connectionString) : IDependencyProbe
    {
        public string Name => "SQLite";
        public string Location => new SqliteConnectionStringBuilder(connectionString).DataSource;
        public string Setting => StorageProbe.Setting;

        public async Task CheckAsync(CancellationToken ct)
        {
            await using var conn = new SqliteConnection(connectionString);
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT 1";
            await cmd.ExecuteScalarAsync(ct);
        }
    }
}
