using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Pipeline;
using Moderation.Storage;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Moderation.Cli.Pipeline;

/// <summary>
/// <c>bench-pipeline</c>: N plain-JSON posts through the real RabbitMQ into (a) a MassTransit consumer
/// that does nothing and (b) the full worker with PostgreSQL, in the same process and run. Reports
/// posts/s and p50/p99 from publish to arrival (bare) or to the ContentModerated event (pipeline), and
/// the ratio, so the machine's noise cancels out.
/// </summary>
internal static class BenchPipelineCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Posts per measured run.", DefaultValueFactory = _ => 20_000 };
        var warmup = new Option<int>("--warmup") { Description = "Posts per warm-up run (not measured).", DefaultValueFactory = _ => 1_000 };
        var rabbit = new Option<string>("--rabbitmq") { Description = "RabbitMQ host.", DefaultValueFactory = _ => "localhost" };
        var pg = new Option<string>("--postgres") { Description = "PostgreSQL admin connection string (a scratch database is created and dropped).", DefaultValueFactory = _ => "Host=127.0.0.1;Username=postgres;Password=postgres" };
        var rate = new Option<int>("--rate") { Description = "Posts/s for the paced latency run (below both capacities, so latency is not queueing).", DefaultValueFactory = _ => 1_000 };
        var pacedSeconds = new Option<int>("--paced-seconds") { Description = "Length of the paced latency run.", DefaultValueFactory = _ => 10 };
        var command = new Command("bench-pipeline", "Benchmark the worker on RabbitMQ + PostgreSQL against a bare MassTransit consumer.") { count, warmup, rabbit, pg, rate, pacedSeconds };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(count);
            var w = parse.GetValue(warmup);
            var paced = new Pacing(parse.GetValue(rate), parse.GetValue(rate) * parse.GetValue(pacedSeconds));
            var host = parse.GetValue(rabbit)!;
            var admin = parse.GetValue(pg)!;

            await using var connection = await new ConnectionFactory { HostName = host }.CreateConnectionAsync(ct);
            var (bare, barePaced) = await RunBareAsync(connection, host, n, w, echo: false, paced, ct);
            Print(bare);
            var (echo, _) = await RunBareAsync(connection, host, n, w, echo: true, null, ct);
            Print(echo);
            var (pipeline, pipelinePaced) = await RunPipelineAsync(connection, host, admin, n, w, paced, ct);
            Print(pipeline);
            Print(barePaced!);
            Print(pipelinePaced);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pipeline-throughput: {pipeline.PerSecond:F0} posts/s, bare: {bare.PerSecond:F0} posts/s, ratio: {pipeline.PerSecond / bare.PerSecond:F2} (consume+publish-one-event floor: {echo.PerSecond / bare.PerSecond:F2})"));
            return 0;
        });
        return command;
    }

    private static void Print(RunResult r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{r.Name}: {r.Count} posts, {r.PerSecond:F0} posts/s, latency p50 {r.P50Ms:F1} ms, p99 {r.P99Ms:F1} ms"));

    /// <summary>A run at a fixed rate: latency without a backlog.</summary>
    private sealed record Pacing(int Rate, int Count);

    private static async Task<(RunResult Flood, RunResult? Paced)> RunBareAsync(IConnection connection, string rabbitHost, int n, int warmup, bool echo, Pacing? paced, CancellationToken ct)
    {
        var pacedRecorder = paced is null ? null : new LatencyRecorder(paced.Count);
        var queue = $"bench-{(echo ? "echo" : "bare")}-{Guid.NewGuid():N}";
        var recorder = new LatencyRecorder(n);
        var warm = new LatencyRecorder(warmup);
        var current = warm;
        await using var listen = echo ? await ListenAsync(connection, "Moderation.Cli.Pipeline:BenchEcho", (platform, id) =>
        {
            if (platform == "bench-echo-warm") warm.Arrived(BenchPosts.IndexOf(id));
            else if (platform == "bench-echo-run") recorder.Arrived(BenchPosts.IndexOf(id));
        }, ct) : null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMassTransit(x => x.UsingRabbitMq((context, cfg) =>
        {
            cfg.Host(rabbitHost);
            cfg.ReceiveEndpoint(queue, e =>
            {
                // Same endpoint settings as the worker's intake, so only the work differs.
                e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                e.PrefetchCount = 256;
                e.ConcurrentMessageLimit = 128;
                if (echo)
                    e.Consumer(() => new EchoConsumer());
                else
                    e.Consumer(() => new BareConsumer(current));
            });
        }));
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        using var app = builder.Build();
        await app.StartAsync(ct);
        try
        {
            await PublishAsync(connection, queue, echo ? "echo-warm" : "warm", warm, warmup, ct);
            await warm.AllArrived.WaitAsync(TimeSpan.FromMinutes(2), ct);
            current = recorder;
            await PublishAsync(connection, queue, echo ? "echo-run" : "bare", recorder, n, ct);
            await recorder.AllArrived.WaitAsync(TimeSpan.FromMinutes(10), ct);
            var flood = recorder.Result(echo ? "consume + publish one event (no storage, no classifiers)" : "bare MassTransit consumer");
            if (paced is null || pacedRecorder is null)
                return (flood, null);
            current = pacedRecorder;
            await PublishAsync(connection, queue, "bare-paced", pacedRecorder, paced.Count, ct, paced.Rate);
            await pacedRecorder.AllArrived.WaitAsync(TimeSpan.FromMinutes(5), ct);
            return (flood, pacedRecorder.Result($"bare MassTransit consumer, paced at {paced.Rate} posts/s"));
        }
        finally
        {
            await app.StopAsync(ct);
            await using var ch = await connection.CreateChannelAsync(cancellationToken: ct);
            await ch.QueueDeleteAsync(queue, cancellationToken: ct);
        }
    }

    private static async Task<(RunResult Flood, RunResult Paced)> RunPipelineAsync(IConnection connection, string rabbitHost, string admin, int n, int warmup, Pacing paced, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"bench-{run}.content-published";
        await using var scratch = await ScratchDatabase.CreateAsync(admin, "bench", ct);
        var cs = new NpgsqlConnectionStringBuilder(scratch.ConnectionString) { MaxPoolSize = 50 }.ConnectionString;

        var recorders = new Dictionary<string, LatencyRecorder> { ["bench-warm"] = new(warmup), ["bench-pipe"] = new(n), ["bench-pipe-paced"] = new(paced.Count) };
        await using var events = await ListenAsync(connection, "Moderation.Contracts:ContentModerated", (platform, id) =>
        {
            if (recorders.TryGetValue(platform, out var r))
                r.Arrived(BenchPosts.IndexOf(id));
        }, ct);

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "RabbitMq",
            ["Moderation:Bus:Host"] = rabbitHost,
            ["Moderation:Bus:IntakeQueue"] = queue,
            ["Moderation:Bus:TakedownCompletedQueue"] = $"bench-{run}.takedown-completed",
            ["Moderation:Storage:Provider"] = "Postgres",
            ["Moderation:Storage:ConnectionString"] = cs,
            ["Moderation:Retention:Enabled"] = "false",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddModerationWorker(builder.Configuration);
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        using var app = builder.Build();
        await app.StartAsync(ct);
        try
        {
            await PublishAsync(connection, queue, "warm", recorders["bench-warm"], warmup, ct);
            await recorders["bench-warm"].AllArrived.WaitAsync(TimeSpan.FromMinutes(2), ct);
            await PublishAsync(connection, queue, "pipe", recorders["bench-pipe"], n, ct);
            await recorders["bench-pipe"].AllArrived.WaitAsync(TimeSpan.FromMinutes(10), ct);
            var flood = recorders["bench-pipe"].Result("pipeline (record + keywords + model + policy + events, PostgreSQL)");
            await PublishAsync(connection, queue, "pipe-paced", recorders["bench-pipe-paced"], paced.Count, ct, paced.Rate);
            await recorders["bench-pipe-paced"].AllArrived.WaitAsync(TimeSpan.FromMinutes(5), ct);
            return (flood, recorders["bench-pipe-paced"].Result($"pipeline, paced at {paced.Rate} posts/s"));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await using var ch = await connection.CreateChannelAsync(cancellationToken: CancellationToken.None);
            foreach (var q in new[] { queue, queue + "_error", $"bench-{run}.takedown-completed" })
                await ch.QueueDeleteAsync(q, cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Binds a private queue to an event exchange and reports (platform, contentId) of every envelope.</summary>
    private static async Task<IChannel> ListenAsync(IConnection connection, string exchange, Action<string, string?> arrived, CancellationToken ct)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct)).QueueName;
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
        await channel.QueueBindAsync(queue, exchange, "", cancellationToken: ct);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, ea) =>
        {
            using var doc = JsonDocument.Parse(ea.Body);
            var message = doc.RootElement.GetProperty("message");
            arrived(message.GetProperty("platform").GetString() ?? "", message.GetProperty("contentId").GetString());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, ct);
        return channel;
    }

    private static async Task PublishAsync(IConnection connection, string queue, string run, LatencyRecorder recorder, int count, CancellationToken ct, int rate = 0)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var ch = await connection.CreateChannelAsync(cancellationToken: ct);
        var props = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        for (var i = 0; i < count; i++)
        {
            var body = BenchPosts.Json(run, i);
            if (rate > 0 && TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed is { TotalMilliseconds: > 1 } ahead)
                await Task.Delay(ahead, ct);
            recorder.Published(i);
            await ch.BasicPublishAsync("", queue, false, props, body, ct);
        }
    }
}
