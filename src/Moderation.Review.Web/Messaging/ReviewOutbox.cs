using System.Text.Json;
using Dapper;
using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Events;
using Npgsql;

namespace Moderation.Review.Messaging;

/// <summary>
/// Why an outbox rather than "publish after commit": publishing before the commit could announce a takedown
/// the database then rolls back; publishing after the commit alone loses the event if the process dies (or
/// the broker is down) between the two. So the events are rows written in the decision's own transaction;
/// right after the commit they are published and marked, and <see cref="OutboxSweeper"/> re-publishes
/// whatever a crash or a broker outage left unmarked. Delivery is at-least-once; the message ids are
/// deterministic (<c>DeterministicIds.For(decisionId, type)</c>), so consumers can drop a duplicate.
/// </summary>
public sealed class ReviewOutbox(NpgsqlDataSource db, IBus bus, TimeProvider time, ILogger<ReviewOutbox> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(TakedownRequested), typeof(RecordPreservationRequested), typeof(ContentReleased),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static async Task StageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<OutgoingEvent> events, DateTimeOffset now)
    {
        const string sql = """
            INSERT INTO review_outbox (message_id, message_type, payload, created_at)
            SELECT u.id, u.type, u.payload::jsonb, @Now
            FROM unnest(@Ids, @TypeNames, @Payloads) AS u(id, type, payload)
            ON CONFLICT (message_id) DO NOTHING
            """;
        await conn.ExecuteAsync(sql, new
        {
            Ids = events.Select(e => e.MessageId).ToArray(),
            TypeNames = events.Select(e => e.Message.GetType().Name).ToArray(),
            Payloads = events.Select(e => JsonSerializer.Serialize(e.Message, e.Message.GetType(), Json)).ToArray(),
            Now = now,
        }, tx);
    }

    /// <summary>Right after the commit. A failure here is logged, not thrown: the decision stands and the sweeper retries.</summary>
    public async Task PublishCommittedAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        try
        {
            foreach (var e in events)
                await bus.Publish(e.Message, e.Message.GetType(), ctx => ctx.MessageId = e.MessageId, ct);
            await MarkAsync(events.Select(e => e.MessageId).ToArray(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Publishing {Count} review events failed; the outbox sweeper will retry.", events.Count);
        }
    }

    /// <summary>Publishes events older than <paramref name="minAge"/> that are still unmarked. Returns how many.</summary>
    public async Task<int> SweepAsync(TimeSpan minAge, CancellationToken ct)
    {
        const string sql = """
            SELECT message_id AS MessageId, message_type AS MessageType, payload::text AS Payload
            FROM review_outbox
            WHERE published_at IS NULL AND created_at <= @Cutoff
            ORDER BY created_at
            LIMIT 100
            FOR UPDATE SKIP LOCKED
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = (await conn.QueryAsync<Row>(new CommandDefinition(sql, new { Cutoff = time.GetUtcNow() - minAge }, tx, cancellationToken: ct))).ToList();
        foreach (var row in rows)
        {
            if (!Types.TryGetValue(row.MessageType, out var type))
            {
                logger.LogError("Outbox message {MessageId} has unknown type {Type}; left for an operator.", row.MessageId, row.MessageType);
                continue;
            }
            var message = JsonSerializer.Deserialize(row.Payload, type, Json)!;
            await bus.Publish(message, type, ctx => ctx.MessageId = row.MessageId, ct);
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE review_outbox SET published_at = @Now, attempts = attempts + 1 WHERE message_id = @Id",
                new { Now = time.GetUtcNow(), Id = row.MessageId }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private async Task MarkAsync(Guid[] ids, CancellationToken ct)
    {
        const string sql = "UPDATE review_outbox SET published_at = @Now, attempts = attempts + 1 WHERE message_id = ANY(@Ids) AND published_at IS NULL";
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { Now = time.GetUtcNow(), Ids = ids }, cancellationToken: ct));
    }

    private sealed class Row
    {
        public Guid MessageId { get; set; }
        public string MessageType { get; set; } = "";
        public string Payload { get; set; } = "";
    }
}
