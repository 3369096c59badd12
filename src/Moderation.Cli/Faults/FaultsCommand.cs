using System.CommandLine;
using Moderation.Cli.Keywords;

namespace Moderation.Cli.Faults;

/// <summary>
/// <c>faults</c>: the fault-injection run of issue 8 on one machine, loopback only and bounded in time. By default it
/// starts and owns its own RabbitMQ node and PostgreSQL cluster on free ports (so it can kill them freely and
/// never disturbs other services), and removes them afterwards.
/// </summary>
internal static class FaultsCommand
{
    public static Command Create()
    {
        var posts = new Option<int>("--posts") { Description = "Valid posts to publish.", DefaultValueFactory = _ => 100_000 };
        var bad = new Option<int>("--bad") { Description = "Bad-input messages published among them (0: posts/200, at least 5)." };
        var workers = new Option<int>("--workers") { Description = "Worker processes on the one intake queue (1 or 2; 2 also measures one-vs-two throughput).", DefaultValueFactory = _ => 1 };
        var rate = new Option<int>("--rate") { Description = "Posts per second the publisher sends (0: as fast as confirms allow).", DefaultValueFactory = _ => 3000 };
        var kills = new Option<int>("--kills") { Description = "kill -9 of a worker (at 10% and 70%; 0-2).", DefaultValueFactory = _ => 2 };
        var restarts = new Option<int>("--broker-restarts") { Description = "Broker restarts: 1 = once at 30%; more = that many in a row under load (and no other fault), each timed.", DefaultValueFactory = _ => 1 };
        var outage = new Option<int>("--db-outage") { Description = "Seconds PostgreSQL is stopped at 50% (0: none).", DefaultValueFactory = _ => 30 };
        var throughput = new Option<int>("--throughput-posts") { Description = "With --workers 2: posts per one-vs-two throughput flood (0: skip).", DefaultValueFactory = _ => 20_000 };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many minutes.", DefaultValueFactory = _ => 30 };
        var worker = new Option<string?>("--worker") { Description = "Path of Moderation.Worker.dll (default: the Release build in this repository)." };
        var rabbit = new Option<string?>("--rabbitmq") { Description = "host:port of your own broker instead of a node of our own (restarts then need --broker-stop/--broker-start)." };
        var pg = new Option<string?>("--postgres") { Description = "Admin connection string of your own PostgreSQL instead of a cluster of our own (a database is created and dropped; the outage needs --db-stop/--db-start)." };
        var brokerStop = new Option<string?>("--broker-stop") { Description = "Shell command that stops your broker." };
        var brokerStart = new Option<string?>("--broker-start") { Description = "Shell command that starts your broker and returns when it accepts connections." };
        var dbStop = new Option<string?>("--db-stop") { Description = "Shell command that stops your PostgreSQL." };
        var dbStart = new Option<string?>("--db-start") { Description = "Shell command that starts your PostgreSQL and returns when it accepts connections." };
        var keep = new Option<bool>("--keep-logs") { Description = "Keep the workers' logs even when every check passes." };

        var command = new Command("faults", "Fault injection: publish posts from a plain AMQP client into real worker processes while killing workers, restarting the broker and stopping PostgreSQL; then check that nothing was lost, duplicated or dead-lettered that was not bad input.")
        {
            posts, bad, workers, rate, kills, restarts, outage, throughput, timeout, worker, rabbit, pg, brokerStop, brokerStart, dbStop, dbStart, keep,
        };
        command.SetAction(async (parse, ct) =>
        {
            var dll = parse.GetValue(worker) ?? DefaultWorkerDll();
            if (dll is null || !File.Exists(dll))
            {
                Console.Error.WriteLine($"faults: no worker build at {dll ?? "src/Moderation.Worker/bin/Release/net10.0/Moderation.Worker.dll"}; run `dotnet build -c Release src/Moderation.Worker` first, or pass --worker.");
                return 2;
            }
            var options = new FaultRunOptions
            {
                Posts = parse.GetValue(posts),
                BadPosts = parse.GetValue(bad),
                Workers = Math.Clamp(parse.GetValue(workers), 1, 2),
                Rate = parse.GetValue(rate),
                Kills = Math.Clamp(parse.GetValue(kills), 0, 2),
                BrokerRestarts = Math.Max(0, parse.GetValue(restarts)),
                DatabaseOutage = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(outage))),
                ThroughputPosts = parse.GetValue(throughput),
                Timeout = TimeSpan.FromMinutes(parse.GetValue(timeout)),
                WorkerDll = Path.GetFullPath(dll),
                RabbitMq = parse.GetValue(rabbit),
                Postgres = parse.GetValue(pg),
                BrokerStop = parse.GetValue(brokerStop),
                BrokerStart = parse.GetValue(brokerStart),
                DatabaseStop = parse.GetValue(dbStop),
                DatabaseStart = parse.GetValue(dbStart),
                KeepLogs = parse.GetValue(keep),
            };
            if (options.BrokerRestarts > 1)
                options = options with { Kills = 0, DatabaseOutage = TimeSpan.Zero };
            return await RunAsync(options, ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(FaultRunOptions options, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.Timeout + TimeSpan.FromMinutes(2));
        var logs = Path.Combine(Path.GetTempPath(), $"moderation-faults-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(logs);
        var exit = 1;
        var run = (FaultRun?)null;
        try
        {
            await using var env = await FaultEnvironment.CreateAsync(options, line => Console.WriteLine(line), limit.Token);
            run = new FaultRun(options, env, logs);
            exit = await run.RunAsync(limit.Token);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            Console.WriteLine($"FAILED: {ex.Message}");
            Console.WriteLine($"faults: published {options.Posts}, records ?, duplicates ?, dead-lettered ? (bad input ?), takedowns ?, blocks ?");
        }
        if (exit == 0 && !options.KeepLogs && run?.Noteworthy != true)
            Directory.Delete(logs, recursive: true);
        else
            Console.Error.WriteLine($"faults: worker logs in {logs}");
        return exit;
    }

    private static string? DefaultWorkerDll() =>
        RepoPaths.FindRepoRoot() is { } root ? Path.Combine(root, "src", "Moderation.Worker", "bin", "Release", "net10.0", "Moderation.Worker.dll") : null;
}
