using Npgsql;

namespace Moderation.Storage;

/// <summary>
/// A throw-away PostgreSQL database for benchmarks: created on the given server under a unique name and
/// dropped on dispose (unless kept). Benchmarks measure on it without touching anyone's data.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private ScratchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Leave the database in place on dispose (to look at it afterwards).</summary>
    public bool Keep { get; set; }

    /// <param name="server">A connection string to any database of the server, as a user that may create databases.</param>
    public static async Task<ScratchDatabase> CreateAsync(string server, string prefix, CancellationToken ct)
    {
        var db = new ScratchDatabase(server, $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)]);
        await db.ExecuteOnServerAsync($"CREATE DATABASE \"{db.Name}\"", ct);
        return db;
    }

    /// <summary>Fresh planner statistics after a bulk load, so the queries measured afterwards use the indexes they will use in production.</summary>
    public async Task AnalyzeAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(ct);
        await using var analyze = new NpgsqlCommand("ANALYZE", conn);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!Keep)
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", CancellationToken.None);
    }

    private async Task ExecuteOnServerAsync(string sql, CancellationToken ct)
    {
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync(ct);
    }
}
