using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Decisions;

namespace Moderation.Storage;

/// <summary>
/// The one place a takedown is written on SQLite, for an automatic block and a moderator's confirmation
/// alike: the takedowns row, the regulator report case (clause 3) and the legal hold on the record.
/// Idempotent on the deterministic ids.
/// </summary>
internal static class SqliteTakedowns
{
    public static async Task OpenAsync(SqliteConnection conn, SqliteTransaction tx, TakedownOrder order, DateTimeOffset reportDueAt, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO takedowns (takedown_id, decision_id, platform, content_id, version, requested_by, requested_at)
            VALUES (@TakedownId, @DecisionId, @Platform, @ContentId, @Version, @RequestedBy, @RequestedAt)
            ON CONFLICT (takedown_id) DO NOTHING;
            INSERT INTO report_cases (case_id, decision_id, categories, opened_at, due_at)
            VALUES (@CaseId, @DecisionId, @Categories, @RequestedAt, @DueAt)
            ON CONFLICT (decision_id) DO NOTHING;
            -- Clause 3: what was taken down is evidence; it survives the retention purge.
            UPDATE post_records SET legal_hold = 1
            WHERE platform = @Platform AND content_id = @ContentId AND version = @Version AND legal_hold = 0;
            """, new
        {
            TakedownId = SqliteDatabase.Id(order.TakedownId),
            CaseId = SqliteDatabase.Id(order.CaseId),
            DecisionId = SqliteDatabase.Id(order.DecisionId),
            order.Platform, order.ContentId, order.Version, order.RequestedBy,
            RequestedAt = SqliteDatabase.Ts(order.RequestedAt),
            Categories = SqliteDatabase.JsonText(order.Categories),
            DueAt = SqliteDatabase.Ts(reportDueAt),
        }, tx, cancellationToken: ct));
    }
}
