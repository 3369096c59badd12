using Npgsql;

namespace Moderation.Integration.Tests.Infrastructure;

/// <summary>
/// Where the real services are. tests/run.sh starts them; these defaults match it. A test that
/// cannot reach them fails with the connection error: it is never skipped.
/// </summary>
public static class TestServices
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("MODERATION_TEST_PG") ?? "Host=127.0.0.1;Username=postgres;Password=postgres";

    public static string RabbitHost => Environment.GetEnvironmentVariable("MODERATION_TEST_RABBITMQ_HOST") ?? "localhost";

    /// <summary>A fresh database per test class, dropped when the class is done.</summary>
    public static async Task<TemporaryDatabase> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(PostgresAdmin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
        return new TemporaryDatabase(name, cs);
    }
}

public sealed class TemporaryDatabase(string name, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(TestServices.PostgresAdmin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
