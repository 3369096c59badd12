using System.Diagnostics;
using RabbitMQ.Client;

namespace Moderation.Cli.Faults;

/// <summary>
/// A platform's publisher, written with plain RabbitMQ.Client as any non-.NET platform would: persistent
/// messages to the intake queue, publisher confirms, and when the broker goes away (a restart) it reconnects and
/// publishes again whatever was not confirmed, so nothing is lost on its side (a post may then arrive twice,
/// which the worker must absorb without a second record).
/// </summary>
internal sealed class ResilientPublisher(Func<ConnectionFactory> factory, string queue, Action<string> say) : IAsyncDisposable
{
    private const int Batch = 256;
    private IConnection? _connection;
    private IChannel? _channel;

    public int Published { get; private set; }
    public int Republished { get; private set; }
    public int Reconnects { get; private set; }

    /// <summary>Publishes every message (id, body), at most <paramref name="rate"/> per second (0 = as fast as confirms allow).</summary>
    public async Task PublishAsync(IEnumerable<(string MessageId, byte[] Body)> messages, int rate, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var batch = new List<(string MessageId, byte[] Body)>(Batch);
        var sent = 0;
        foreach (var m in messages)
        {
            batch.Add(m);
            if (batch.Count < Batch)
                continue;
            await SendBatchAsync(batch, ct);
            sent += batch.Count;
            batch.Clear();
            if (rate > 0 && TimeSpan.FromSeconds((double)sent / rate) - clock.Elapsed is { TotalMilliseconds: > 1 } ahead)
                await Task.Delay(ahead, ct);
        }
        if (batch.Count > 0)
            await SendBatchAsync(batch, ct);
    }

    private async Task SendBatchAsync(List<(string MessageId, byte[] Body)> batch, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var channel = await ChannelAsync(ct);
                var confirms = new List<Task>(batch.Count);
                foreach (var (id, body) in batch)
                {
                    var props = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = id };
                    confirms.Add(channel.BasicPublishAsync("", queue, mandatory: false, props, body, ct).AsTask());
                }
                // A confirm can be lost with its connection (a broker restart): never wait for one forever.
                await Task.WhenAll(confirms).WaitAsync(TimeSpan.FromSeconds(30), ct);
                Published += batch.Count;
                if (attempt > 0)
                    Republished += batch.Count;
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                if (attempt == 0)
                    say($"publisher: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}; reconnecting and publishing the unconfirmed batch again");
                await DropAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true })
            return _channel;
        await DropAsync();
        _connection = await factory().CreateConnectionAsync(ct);
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        // The queue is the worker's (it declares it); publishing to the default exchange needs only its name.
        if (Published > 0)
            Reconnects++;
        return _channel;
    }

    private async Task DropAsync()
    {
        try
        {
            if (_channel is not null) await _channel.DisposeAsync();
            if (_connection is not null) await _connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Already broken.
        }
        _channel = null;
        _connection = null;
    }

    public ValueTask DisposeAsync() => new(DropAsync());
}
