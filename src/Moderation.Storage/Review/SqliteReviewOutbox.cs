using Dapper;
using Microsoft.Data.Sqlite;
using Moderation.Core.Events;
using static Moderation.Storage.SqliteDatabase;

namespace Moderation.Storage.Review;

/// <summary>
/// The review outbox on SQLite. A sweep runs in one immediate (write-locked) transaction, so a second
/// sweeper, in this process or another, waits instead of publishing the same rows.
/// </summary>
public sealed class SqliteReviewOutbox(string connectionString, TimeProvider time) : IReviewOutbox
{
    /// <summary>Inside the decision's transaction.</summary>
    internal static async Task StageAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<OutgoingEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO review_outbox (message_id, message_type, payload, created_at)
            VALUES (@Id, @Type, @Payload, @Now)
            ON CONFLICT (message_id) DO NOTHING
            """;
        foreach (var m in events.Select(OutboxMessage.From))
            await conn.ExecuteAsync(new CommandDefinition(sql, new { Id = Id(m.MessageId), Type = m.MessageType, m.Payload, Now = Ts(now) }, tx, cancellationToken: ct));
    }

    public async Task MarkPublishedAsync(IReadOnlyList<Guid> messageIds, CancellationToken ct)
    {
        const string sql = "UPDATE review_outbox SET published_at = @Now, attempts = attempts + 1 WHERE message_id IN @Ids AND published_at IS NULL";
        await using var conn = await OpenAsync(connectionString, ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { Now = Ts(time.GetUtcNow()), Ids = messageIds.Select(Id).ToArray() }, cancellationToken: ct));
    }

    public async Task<int> SweepAsync(DateTimeOffset createdBefore, int limit, Func<OutboxMessage, CancellationToken, Task<bool>> publish, CancellationToken ct)
    {
        const string sql = """
            SELECT message_id AS MessageId, message_type AS MessageType, payload AS Payload
            FROM review_outbox
            WHERE published_at IS NULL AND created_at <= @Cutoff
            ORDER BY created_at
            LIMIT @Limit
            """;
        await using var conn = await OpenAsync(connectionString, ct);
        await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(sql, new { Cutoff = Ts(createdBefore), Limit = limit }, tx, cancellationToken: ct))).ToList();
        var published = 0;
        foreach (var row in rows)
        {
            if (!await publish(new OutboxMessage(Guid.Parse(row.MessageId), row.MessageType, row.Payload), ct))
                continue;
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE review_outbox SET published_at = @Now, attempts = attempts + 1 WHERE message_id = @Id",
                new { Now = Ts(time.GetUtcNow()), Id = row.MessageId }, tx, cancellationToken: ct));
            published++;
        }
        await tx.CommitAsync(ct);
        return published;
    }

    private sealed class Row
    {
        public string MessageId { get; set; } = "";
        public string MessageType { get; set; } = "";
        public string Payload { get; set; } = "";
    }
}
