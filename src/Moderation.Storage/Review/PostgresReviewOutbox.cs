using Dapper;
using Moderation.Core.Events;
using Npgsql;

namespace Moderation.Storage.Review;

/// <summary>The review outbox on PostgreSQL. A sweep holds its rows FOR UPDATE SKIP LOCKED, so two app instances never publish the same row at once.</summary>
public sealed class PostgresReviewOutbox(NpgsqlDataSource db, TimeProvider time) : IReviewOutbox
{
    /// <summary>Inside the decision's transaction.</summary>
    internal static Task StageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<OutgoingEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        if (events.Count == 0)
            return Task.CompletedTask;
        const string sql = """
            INSERT INTO review_outbox (message_id, message_type, payload, created_at)
            SELECT u.id, u.type, u.payload::jsonb, @Now
            FROM unnest(@Ids, @TypeNames, @Payloads) AS u(id, type, payload)
            ON CONFLICT (message_id) DO NOTHING
            """;
        var messages = events.Select(OutboxMessage.From).ToArray();
        return conn.ExecuteAsync(new CommandDefinition(sql, new
        {
            Ids = messages.Select(m => m.MessageId).ToArray(),
            TypeNames = messages.Select(m => m.MessageType).ToArray(),
            Payloads = messages.Select(m => m.Payload).ToArray(),
            Now = now,
        }, tx, cancellationToken: ct));
    }

    public async Task MarkPublishedAsync(IReadOnlyList<Guid> messageIds, CancellationToken ct)
    {
        const string sql = "UPDATE review_outbox SET published_at = @Now, attempts = attempts + 1 WHERE message_id = ANY(@Ids) AND published_at IS NULL";
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { Now = time.GetUtcNow(), Ids = messageIds.ToArray() }, cancellationToken: ct));
    }

    public async Task<int> SweepAsync(DateTimeOffset createdBefore, int limit, Func<OutboxMessage, CancellationToken, Task<bool>> publish, CancellationToken ct)
    {
        const string sql = """
            SELECT message_id AS MessageId, message_type AS MessageType, payload::text AS Payload
            FROM review_outbox
            WHERE published_at IS NULL AND created_at <= @Cutoff
            ORDER BY created_at
            LIMIT @Limit
            FOR UPDATE SKIP LOCKED
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(sql, new { Cutoff = createdBefore, Limit = limit }, tx, cancellationToken: ct))).ToList();
        var published = 0;
        foreach (var row in rows)
        {
            if (!await publish(new OutboxMessage(row.MessageId, row.MessageType, row.Payload), ct))
                continue;
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE review_outbox SET published_at = @Now, attempts = attempts + 1 WHERE message_id = @Id",
                new { Now = time.GetUtcNow(), Id = row.MessageId }, tx, cancellationToken: ct));
            published++;
        }
        await tx.CommitAsync(ct);
        return published;
    }

    private sealed class Row
    {
        public Guid MessageId { get; set; }
        public string MessageType { get; set; } = "";
        public string Payload { get; set; } = "";
    }
}
