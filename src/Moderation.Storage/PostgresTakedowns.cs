using Dapper;
using Moderation.Core.Decisions;
using Npgsql;

namespace Moderation.Storage;

/// <summary>
/// The one place a takedown is written on PostgreSQL, for an automatic block (a worker batch) and a
/// moderator's confirmation alike: the takedowns row, the regulator report case (clause 3) and the legal
/// hold on the record. Idempotent on the deterministic ids. One round trip for the whole batch.
/// </summary>
internal static class PostgresTakedowns
{
    public static Task OpenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<(TakedownOrder Order, DateTimeOffset ReportDueAt)> takedowns, CancellationToken ct)
    {
        if (takedowns.Count == 0)
            return Task.CompletedTask;
        var o = takedowns.Select(t => t.Order).ToArray();
        return conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO takedowns (takedown_id, decision_id, platform, content_id, version, requested_by, requested_at)
            SELECT * FROM unnest(@TakedownId, @DecisionId, @Platform, @ContentId, @Version, @RequestedBy, @RequestedAt)
            ON CONFLICT (takedown_id) DO NOTHING;
            INSERT INTO report_cases (case_id, decision_id, categories, opened_at, due_at)
            SELECT u.case_id, u.decision_id, u.categories::integer[], u.opened_at, u.due_at
            FROM unnest(@CaseId, @DecisionId, @Categories, @RequestedAt, @DueAt) AS u(case_id, decision_id, categories, opened_at, due_at)
            ON CONFLICT (decision_id) DO NOTHING;
            -- Clause 3: what was taken down is evidence; it survives the retention purge. (A worker batch wrote
            -- its blocked records with the hold already set, so this touches only confirmed ones.)
            UPDATE post_records r SET legal_hold = true
            FROM unnest(@Platform, @ContentId, @Version) AS k(platform, content_id, version)
            WHERE r.platform = k.platform AND r.content_id = k.content_id AND r.version = k.version AND NOT r.legal_hold;
            """, new
        {
            TakedownId = o.Select(x => x.TakedownId).ToArray(),
            CaseId = o.Select(x => x.CaseId).ToArray(),
            DecisionId = o.Select(x => x.DecisionId).ToArray(),
            Platform = o.Select(x => x.Platform).ToArray(),
            ContentId = o.Select(x => x.ContentId).ToArray(),
            Version = o.Select(x => x.Version).ToArray(),
            RequestedBy = o.Select(x => x.RequestedBy).ToArray(),
            RequestedAt = o.Select(x => x.RequestedAt.UtcDateTime).ToArray(),
            Categories = o.Select(x => PostgresValues.IntArray(x.Categories)).ToArray(),
            DueAt = takedowns.Select(t => t.ReportDueAt.UtcDateTime).ToArray(),
        }, tx, cancellationToken: ct));
    }
}
