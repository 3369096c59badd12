using System.Text;
using Moderation.Cli.Operations;
using Moderation.Contracts;
using Moderation.Operations.Tests.Infrastructure;
using RabbitMQ.Client;

namespace Moderation.Operations.Tests;

/// <summary>`moderation requeue-errors` on real queues: what it moves, what it keeps, and what the moved copy carries.</summary>
[Collection(ScratchCollection.Name)]
public sealed class RequeueErrorsTests(ScratchServices services) : IAsyncLifetime
{
    private readonly string _queue = $"requeue-{Guid.NewGuid():N}"[..20] + ".content-published";
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    private string ErrorQueue => _queue + "_error";
    private Uri Broker => new($"amqp://guest:guest@127.0.0.1:{services.RabbitPort}/");

    public async Task InitializeAsync()
    {
        _connection = await services.Broker().CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();
        await _channel.QueueDeclareAsync(_queue, durable: true, exclusive: false, autoDelete: false);
        await _channel.QueueDeclareAsync(ErrorQueue, durable: true, exclusive: false, autoDelete: false);
        // As the worker leaves them: bad input, a bug ("unknown"), one from before fault kinds existed that a database
        // outage put there, one old bad input, and a bug already moved back three times.
        await ErrorAsync("bad-1", kind: "post", reason: "authorId is required.");
        await ErrorAsync("bug-1", kind: "unknown", reason: "Object reference not set to an instance of an object.");
        await ErrorAsync("old-outage-1", kind: null, reason: "Failed to connect to 127.0.0.1:5432", exceptionType: "Npgsql.NpgsqlException");
        await ErrorAsync("old-bad-1", kind: null, reason: "sourceIp 'x' is not an IPv4 or IPv6 address.", exceptionType: "Moderation.Core.Posts.PostRejectedException");
        await ErrorAsync("bug-tired", kind: "unknown", reason: "Object reference not set to an instance of an object.", requeues: 3);
    }

    public async Task DisposeAsync()
    {
        await _channel.QueueDeleteAsync(_queue);
        await _channel.QueueDeleteAsync(ErrorQueue);
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }

    private async Task ErrorAsync(string id, string? kind, string reason, string? exceptionType = null, int requeues = 0)
    {
        var headers = new Dictionary<string, object?>
        {
            [WireHeaders.RejectReason] = Encoding.UTF8.GetBytes(reason),
            ["MT-Fault-Message"] = Encoding.UTF8.GetBytes(reason),
            ["MT-Fault-ExceptionType"] = Encoding.UTF8.GetBytes(exceptionType ?? "System.Exception"),
            ["MT-Reason"] = Encoding.UTF8.GetBytes("fault"),
        };
        if (kind is not null) headers[WireHeaders.FaultKind] = Encoding.UTF8.GetBytes(kind);
        if (requeues > 0) headers[WireHeaders.RequeueCount] = requeues;
        await _channel.BasicPublishAsync("", ErrorQueue, false,
            new BasicProperties { MessageId = id, ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, Headers = headers },
            Encoding.UTF8.GetBytes($"{{\"contentId\":\"{id}\"}}"));
    }

    private async Task<List<(string Id, IDictionary<string, object?> Headers, string Body)>> DrainAsync(string queue)
    {
        var got = new List<(string, IDictionary<string, object?>, string)>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } m)
            got.Add((m.BasicProperties.MessageId!, m.BasicProperties.Headers ?? new Dictionary<string, object?>(), Encoding.UTF8.GetString(m.Body.Span)));
        return got;
    }

    private Task<RequeueErrors.Summary> RunAsync(bool dryRun = false, int? limit = null, string? reason = null, RequeueErrors.Selection select = RequeueErrors.Selection.Retryable) =>
        RequeueErrors.RunAsync(new RequeueErrors.Options(Broker, _queue, dryRun, limit, reason, select, MaxRequeues: 3), TextWriter.Null, CancellationToken.None);

    [Fact]
    public async Task A_dry_run_counts_and_moves_nothing()
    {
        var summary = await RunAsync(dryRun: true);
        Assert.Equal(2, summary.Moved);
        Assert.Equal(3, summary.Kept);
        Assert.Equal(5u, await services.DepthAsync(ErrorQueue));
        Assert.Equal(0u, await services.DepthAsync(_queue));
    }

    [Fact]
    public async Task Posts_that_were_not_at_fault_go_back_without_fault_headers_and_marked_while_bad_input_stays()
    {
        Assert.Equal(1, (await RunAsync(limit: 1)).Moved);
        Assert.Equal(1, (await RunAsync()).Moved);

        var moved = await DrainAsync(_queue);
        Assert.Equal(["bug-1", "old-outage-1"], moved.Select(m => m.Id).Order(StringComparer.Ordinal));
        foreach (var m in moved)
        {
            Assert.Equal(1, Assert.IsType<int>(m.Headers[WireHeaders.RequeueCount]));
            Assert.DoesNotContain(m.Headers.Keys, k => k.StartsWith("MT-", StringComparison.Ordinal) || k is WireHeaders.RejectReason or WireHeaders.FaultKind);
            Assert.Equal($"{{\"contentId\":\"{m.Id}\"}}", m.Body);
        }
        Assert.Equal(["bad-1", "bug-tired", "old-bad-1"], (await DrainAsync(ErrorQueue)).Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Bad_input_moves_only_when_asked_and_a_reason_filter_narrows_it()
    {
        var summary = await RunAsync(select: RequeueErrors.Selection.BadInput, reason: "sourceIp");
        Assert.Equal(1, summary.Moved);
        Assert.Equal(["old-bad-1"], (await DrainAsync(_queue)).Select(m => m.Id));
    }
}
