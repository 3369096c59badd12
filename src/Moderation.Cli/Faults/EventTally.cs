using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Moderation.Cli.Faults;

/// <summary>
/// What a platform receives: a durable queue of ours bound to the ContentModerated and TakedownRequested
/// exchanges (so events survive a broker restart), read with manual acks and automatic recovery. Counts
/// deliveries, distinct message ids, and message ids per post: a post whose event arrived under two different
/// ids is a duplicate a consumer could not drop; the same id twice is an at-least-once redelivery, which it can.
/// </summary>
internal sealed class EventTally : IAsyncDisposable
{
    public const string Queue = "faults.events";
    private static readonly string[] Types = ["ContentModerated", "TakedownRequested"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Kind> _kinds = new(StringComparer.Ordinal) { ["ContentModerated"] = new(), ["TakedownRequested"] = new() };
    private IConnection? _connection;
    private IChannel? _channel;

    private sealed class Kind
    {
        /// <summary>platform/contentId/version → what arrived for it.</summary>
        public readonly Dictionary<string, Seen> ByPost = new(StringComparer.Ordinal);
    }

    private sealed class Seen
    {
        public int Deliveries;
        public readonly HashSet<string> Ids = new(StringComparer.Ordinal);
    }

    /// <summary>Deliveries, distinct message ids, posts with an event, and posts whose event came under more than one id.</summary>
    public sealed record Counts(long Deliveries, int DistinctIds, int Posts, int PostsUnderTwoIds);

    public static async Task<EventTally> StartAsync(ConnectionFactory factory, CancellationToken ct)
    {
        factory.AutomaticRecoveryEnabled = true;
        factory.TopologyRecoveryEnabled = true;
        factory.NetworkRecoveryInterval = TimeSpan.FromSeconds(1);
        var tally = new EventTally { _connection = await factory.CreateConnectionAsync(ct) };
        var channel = tally._channel = await tally._connection.CreateChannelAsync(cancellationToken: ct);
        await channel.BasicQosAsync(0, 1000, false, ct);
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        foreach (var type in Types)
        {
            var exchange = $"Moderation.Contracts:{type}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
            await channel.QueueBindAsync(Queue, exchange, "", cancellationToken: ct);
        }
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, ea) =>
        {
            tally.Count(ea.Body);
            await channel.BasicAckAsync(ea.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, ct);
        return tally;
    }

    private void Count(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var type = root.GetProperty("messageType")[0].GetString()!.Split(':')[^1];
        var id = root.GetProperty("messageId").GetString() ?? "";
        var m = root.GetProperty("message");
        var post = $"{m.GetProperty("platform").GetString()}/{m.GetProperty("contentId").GetString()}/{m.GetProperty("version").GetInt64()}";
        lock (_lock)
        {
            if (!_kinds.TryGetValue(type, out var kind))
                return;
            if (!kind.ByPost.TryGetValue(post, out var seen))
                kind.ByPost[post] = seen = new Seen();
            seen.Deliveries++;
            seen.Ids.Add(id);
        }
    }

    /// <summary>Posts of <paramref name="platform"/> with at least one ContentModerated event: the run's progress.</summary>
    public int Decided(string platform)
    {
        var prefix = platform + "/";
        lock (_lock)
            return _kinds["ContentModerated"].ByPost.Keys.Count(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    public Counts For(string type, string platform)
    {
        var prefix = platform + "/";
        lock (_lock)
        {
            var kind = _kinds[type];
            var posts = kind.ByPost.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            return new Counts(posts.Sum(p => (long)p.Value.Deliveries), posts.Sum(p => p.Value.Ids.Count), posts.Count, posts.Count(p => p.Value.Ids.Count > 1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) await _channel.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
