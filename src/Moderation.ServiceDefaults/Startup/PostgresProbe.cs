using Npgsql;

namespace Moderation.ServiceDefaults.Startup;

/// <summary>
/// Opens a connection and runs <c>SELECT 1</c>, with a short timeout so a dead server is noticed quickly. With
/// <paramref name="databaseMayNotExistYet"/> (migrations at start-up create it) a missing database counts as reachable.
/// </summary>
public sealed class PostgresProbe : IDependencyProbe
{
    private readonly string _connectionString;
    private readonly bool _databaseMayNotExistYet;

    public PostgresProbe(string connectionString, string setting, bool databaseMayNotExistYet = false)
    {
        _databaseMayNotExistYet = databaseMayNotExistYet;
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, CommandTimeout = 3, Pooling = false };
        _connectionString = builder.ConnectionString;
        Setting = setting;
        Location = $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public string Name => "PostgreSQL";
    public string Location { get; }
    public string Setting { get; }

    public async Task CheckAsync(CancellationToken ct)
    {
        try
        {
            await using var conn = new NpgsqlConnection(_connectionString);
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("SELECT 1", conn);
            await cmd.ExecuteScalarAsync(ct);
        }
        catch (PostgresException ex) when (_databaseMayNotExistYet && ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The server answered; the migration step creates the database.
        }
    }
}
