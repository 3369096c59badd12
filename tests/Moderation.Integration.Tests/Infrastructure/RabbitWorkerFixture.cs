using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Core.Classification;
using Moderation.Storage;
using Moderation.Pipeline;
using RabbitMQ.Client;

namespace Moderation.Integration.Tests.Infrastructure;

/// <summary>
/// The real worker host on the real broker and database, with queues and a database of its own so
/// test classes never see each other's messages. Tests talk to it the way a platform in any language
/// would: plain JSON through RabbitMQ.Client, and events read off exchanges bound to a queue of ours.
/// </summary>
public sealed class RabbitWorkerFixture : IAsyncLifetime
{
    public static readonly string[] EventTypes = ["ContentModerated", "ContentQuarantined", "TakedownRequested", "RecordPreservationRequested"];

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private TemporaryDatabase _db = null!;
    private IHost _host = null!;
    private IConnection _connection = null!;

    public const string PolicyVersion = "it-policy-1";

    /// <summary>On the fixture's own gambling domain list (category 7).</summary>
    public const string ListedDomain = "listed-casino.example";

    public string DomainListPath => Path.Combine(Path.GetTempPath(), $"it-{_suffix}", "gambling.txt");

    public string IntakeQueue => $"it-{_suffix}.content-published";
    public string ErrorQueue => IntakeQueue + "_error";
    public string TakedownQueue => $"it-{_suffix}.takedown-completed";
    public string EventsQueue => $"it-{_suffix}.events";
    public IModerationStore Store => _host.Services.GetRequiredService<IModerationStore>();

    /// <summary>The worker host's services (e.g. its content-bank index, to wait until it has seen a bank version).</summary>
    public IServiceProvider Services => _host.Services;
    public string DatabaseConnectionString => _db.ConnectionString;
    public IChannel Channel { get; private set; } = null!;

    /// <summary>Deliveries the worker has finished (events published), per contentId.</summary>
    public HandledPosts Handled { get; } = new();

    public async Task InitializeAsync()
    {
        _db = await TestServices.CreateDatabaseAsync("worker");
        Directory.CreateDirectory(Path.GetDirectoryName(DomainListPath)!);
        await File.WriteAllTextAsync(DomainListPath, "# test list\n" + ListedDomain + "\n");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "RabbitMq",
            ["Moderation:Bus:Host"] = TestServices.RabbitHost,
            ["Moderation:Bus:IntakeQueue"] = IntakeQueue,
            ["Moderation:Bus:TakedownCompletedQueue"] = TakedownQueue,
            ["Moderation:Storage:Provider"] = "Postgres",
            ["Moderation:Storage:ConnectionString"] = _db.ConnectionString,
            ["Moderation:Intake:MaxTextChars"] = "5000",
            ["Moderation:Retention:Enabled"] = "false",
            // An operator domain list of its own, so detector tests can see a listed link flow through.
            ["Moderation:Detection:DomainLists:0:Path"] = DomainListPath,
            ["Moderation:Detection:DomainLists:0:Category"] = "7",
            ["Moderation:Detection:DomainLists:0:SubLabel"] = "gambling",
            // Explicit, because this output folder also receives the review app's appsettings.json and
            // which copy wins is up to the build. The model never acts alone here: these tests steer
            // outcomes with the marker classifier and must not depend on what the shipped model scores.
            ["Moderation:Policy:Version"] = PolicyVersion,
            ["Moderation:Policy:Default:ModelReviewThreshold"] = "1.01",
            ["Moderation:Policy:Default:ModelBlockThreshold"] = "1.01",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddModerationWorker(builder.Configuration);
        builder.Services.AddSingleton<IContentClassifier, MarkerClassifier>();
        builder.Services.AddSingleton(Handled);
        builder.Services.AddConsumeObserver(_ => Handled);
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        _host = builder.Build();
        await _host.StartAsync();

        _connection = await new ConnectionFactory { HostName = TestServices.RabbitHost }.CreateConnectionAsync();
        Channel = await _connection.CreateChannelAsync();
        await Channel.QueueDeclareAsync(EventsQueue, durable: false, exclusive: false, autoDelete: false);
        foreach (var type in EventTypes)
        {
            var exchange = $"Moderation.Contracts:{type}";
            await Channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await Channel.QueueBindAsync(EventsQueue, exchange, "");
        }
    }

    /// <summary>Also listen to another event type (e.g. ContentReleased, which only the review app emits).</summary>
    public async Task BindAsync(string eventType)
    {
        var exchange = $"Moderation.Contracts:{eventType}";
        await Channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await Channel.QueueBindAsync(EventsQueue, exchange, "");
    }

    /// <summary>Publishes exactly these bytes as a non-.NET platform would.</summary>
    public async Task<string> PublishRawAsync(byte[] body, string? contentType = "application/json")
    {
        var messageId = Guid.NewGuid().ToString();
        var props = new BasicProperties { ContentType = contentType, MessageId = messageId, DeliveryMode = DeliveryModes.Persistent };
        await Channel.BasicPublishAsync("", IntakeQueue, mandatory: true, basicProperties: props, body: body);
        return messageId;
    }

    public Task<string> PublishJsonAsync(object post) => PublishRawAsync(JsonSerializer.SerializeToUtf8Bytes(post));

    /// <summary>Events seen so far (envelope "message" bodies with their type), collected until <paramref name="until"/> holds or time runs out.</summary>
    public async Task<List<(string Type, string MessageId, JsonNode Message)>> CollectEventsAsync(
        List<(string Type, string MessageId, JsonNode Message)> seen, Func<List<(string Type, string MessageId, JsonNode Message)>, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!until(seen) && DateTime.UtcNow < deadline)
        {
            var got = await Channel.BasicGetAsync(EventsQueue, autoAck: true);
            if (got is null)
            {
                await Task.Delay(50);
                continue;
            }
            var envelope = JsonNode.Parse(got.Body.Span)!;
            var type = envelope["messageType"]![0]!.GetValue<string>().Split(':').Last();
            seen.Add((type, envelope["messageId"]!.GetValue<string>(), envelope["message"]!));
        }
        return seen;
    }

    /// <summary>
    /// Every event of the post's first <paramref name="deliveries"/> deliveries, and nothing that is still to come:
    /// waits until the worker finished those deliveries (its events are then routed to our queue), then puts a
    /// sentinel of our own behind them in the same queue and reads up to it.
    /// </summary>
    public async Task<List<(string Type, string MessageId, JsonNode Message)>> AllEventsOfAsync(
        List<(string Type, string MessageId, JsonNode Message)> seen, string contentId, int deliveries = 1)
    {
        await Handled.WaitAsync(contentId, deliveries, TimeSpan.FromSeconds(30));
        var sentinel = Guid.NewGuid().ToString();
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new { messageId = sentinel, messageType = new[] { "urn:message:Tests:Sentinel" }, message = new { } });
        await Channel.BasicPublishAsync("", EventsQueue, mandatory: true, basicProperties: new BasicProperties(), body: envelope);
        var all = await CollectEventsAsync(seen, s => s.Any(e => e.MessageId == sentinel));
        Assert.Contains(all, e => e.MessageId == sentinel);
        return all.Where(e => e.Message["contentId"]?.GetValue<string>() == contentId).ToList();
    }

    /// <summary>The faulted copy of the message we published with this id, with the reason MassTransit attached.</summary>
    public async Task<(string Reason, byte[] Body)?> WaitForErrorAsync(string messageId, TimeSpan? timeout = null, string? errorQueue = null)
    {
        var queue = errorQueue ?? ErrorQueue;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        // MassTransit declares the error queue on the first fault; until then a get answers 404 and
        // closes the channel, so reads use a channel of their own that is replaced when that happens.
        IChannel? channel = null;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                channel ??= await _connection.CreateChannelAsync();
                // Other tests' messages are held unacked while looking further (a requeued message would come
                // straight back to the head of the queue and hide everything behind it), then returned.
                var others = new List<ulong>();
                BasicGetResult? mine = null;
                try
                {
                    while (await channel.BasicGetAsync(queue, autoAck: false) is { } got)
                    {
                        if (got.BasicProperties.MessageId == messageId)
                        {
                            mine = got;
                            break;
                        }
                        others.Add(got.DeliveryTag);
                    }
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    channel.Dispose();
                    channel = null;
                    await Task.Delay(100);
                    continue;
                }
                foreach (var tag in others)
                    await channel.BasicNackAsync(tag, false, requeue: true);
                if (mine is null)
                {
                    await Task.Delay(100);
                    continue;
                }
                await channel.BasicAckAsync(mine.DeliveryTag, false);
                var headers = mine.BasicProperties.Headers ?? new Dictionary<string, object?>();
                var reason = headers.TryGetValue("Moderation-Reject-Reason", out var v) && v is byte[] b ? Encoding.UTF8.GetString(b) : "";
                return (reason, mine.Body.ToArray());
            }
            return null;
        }
        finally
        {
            channel?.Dispose();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var q in new[] { EventsQueue, IntakeQueue, ErrorQueue, TakedownQueue, TakedownQueue + "_error", IntakeQueue + "_skipped" })
            await Channel.QueueDeleteAsync(q);
        await Channel.CloseAsync();
        await _connection.CloseAsync();
        await _host.StopAsync();
        _host.Dispose();
        await _db.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(DomainListPath)!, recursive: true);
    }
}
