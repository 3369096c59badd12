using Dapper;
using Npgsql;

namespace Moderation.Storage.Diagnostics;

/// <summary>
/// What one platform's posts left in the database, counted for the fault-injection check (`moderation faults`):
/// records, decisions by action, takedown rows, and rows that exist twice for one post (which must be none).
/// </summary>
public sealed record PlatformTally(long Records, long Duplicates, long TakedownRows, IReadOnlyDictionary<string, long> DecisionsByAction)
{
    public static async Task<PlatformTally> ReadAsync(string connectionString, string platform, CancellationToken ct)
    {
        const string sql = """
            SELECT count(*) FROM post_records WHERE platform = @Platform;
            SELECT (SELECT count(*) - count(DISTINCT (content_id, version)) FROM post_records WHERE platform = @Platform)
                 + (SELECT count(*) - count(DISTINCT (content_id, version)) FROM decisions WHERE platform = @Platform)
                 + (SELECT count(*) - count(DISTINCT decision_id) FROM takedowns WHERE platform = @Platform);
            SELECT count(*) FROM takedowns WHERE platform = @Platform;
            SELECT action AS Action, count(*) AS Count FROM decisions WHERE platform = @Platform GROUP BY action;
            """;
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { Platform = platform }, cancellationToken: ct));
        var records = await grid.ReadSingleAsync<long>();
        var duplicates = await grid.ReadSingleAsync<long>();
        var takedowns = await grid.ReadSingleAsync<long>();
        var byAction = (await grid.ReadAsync<(string Action, long Count)>())
            .ToDictionary(r => r.Action, r => r.Count, StringComparer.Ordinal);
        return new PlatformTally(records, duplicates, takedowns, byAction);
    }
}
