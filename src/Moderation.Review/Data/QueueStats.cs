using Dapper;
using Npgsql;

namespace Moderation.Review.Data;

/// <summary>How many items wait for a moderator, and since when, per status (pending, escalated). For the metrics.</summary>
public sealed class QueueStats(NpgsqlDataSource db)
{
    public sealed record Row(string Status, long Count, DateTime? Oldest);

    public async Task<IReadOnlyList<Row>> OpenAsync(CancellationToken ct)
    {
        // Served by the partial index quarantine_open_age_keyset (status, created_at).
        const string sql = """
            SELECT status AS Status, count(*) AS Count, min(created_at) AS Oldest
            FROM quarantine
            WHERE status IN ('pending', 'escalated')
            GROUP BY status
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Row>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
    }
}
