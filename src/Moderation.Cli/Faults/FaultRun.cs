using Moderation.Storage.Diagnostics;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using RabbitMQ.Client;

namespace Moderation.Cli.Faults;

/// <summary>
/// One fault-injection run: real worker processes on a real broker and database, a plain-AMQP publisher, and the
/// faults of issue 8 (kill -9 of a worker, a broker restart, a database outage), then the checks that say
/// whether any post was lost, duplicated or dead-lettered for a fault that was not its own.
/// </summary>
internal sealed partial class FaultRun(FaultRunOptions o, FaultEnvironment env, string logDirectory)
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})?")]
    private static partial System.Text.RegularExpressions.Regex Timestamp();

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<SupervisedWorker> _workers = [];
    private readonly List<string> _failures = [];
    private readonly List<(string Fault, TimeSpan FromUp, TimeSpan FromStop)> _consumerBack = [];
    private EventTally _tally = null!;
    private Func<int> _published = () => 0;

    private string Platform => $"faults-{_run}";
    private string IntakeQueue => $"faults-{_run}.content-published";
    private string ErrorQueue => IntakeQueue + "_error";

    /// <summary>A worker exited other than by our kill -9 or SIGTERM (e.g. the watchdog's 75): worth keeping the logs.</summary>
    public bool Noteworthy => _workers.Any(w => w.Exits.Any(code => code is not (0 or 137)));

    public void Say(string line) => Console.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {line}");

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await MigrateAsync(ct);
        _tally = await EventTally.StartAsync(env.Broker("faults-events"), ct);
        try
        {
            _workers.Add(NewWorker(1));
            _workers[0].Start();
            await _workers[0].WaitReadyAsync(TimeSpan.FromMinutes(2), ct);
            Say($"worker 1 ready (pid log {_workers[0].LogPath})");

            if (o.Workers > 1)
                await CompareThroughputAsync(ct);

            var bad = o.BadPosts > 0 ? o.BadPosts : Math.Max(5, o.Posts / 200);
            var badIds = Enumerable.Range(0, bad).Select(i => $"{_run}-bad-{i}").ToHashSet(StringComparer.Ordinal);
            await using var publisher = new ResilientPublisher(() => env.Broker("faults-publisher"), IntakeQueue, Say);
            _published = () => publisher.Published;
            Say($"publishing {o.Posts:N0} posts and {bad:N0} bad-input messages at {(o.Rate > 0 ? $"{o.Rate:N0}/s" : "full speed")} with {o.Workers} worker(s)");
            var started = _clock.Elapsed;
            var publishing = publisher.PublishAsync(Messages(bad), o.Rate, ct);

            var faults = o.BrokerRestarts > 1 ? RestartBrokerRepeatedlyAsync(ct) : StandardFaultsAsync(ct);
            await faults;
            await publishing;
            Say($"published {publisher.Published:N0} messages ({publisher.Republished:N0} again after a broker restart, {publisher.Reconnects} reconnects)");

            await WaitUntilAsync(async () => _tally.Decided(Platform) >= o.Posts && await ErrorQueueDepthAsync(ct) >= bad,
                "every post decided and every bad input dead-lettered", o.Timeout - _clock.Elapsed, ct);
            var took = _clock.Elapsed - started;
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // late redeliveries of events, if any, are counted too
            Say($"all {o.Posts:N0} posts decided {Shell.Seconds(took)} s after publishing began ({o.Posts / took.TotalSeconds:F0} posts/s including the faults)");

            await StopWorkersAsync();
            return await CheckAsync(bad, badIds, ct);
        }
        finally
        {
            foreach (var w in _workers)
                await w.DisposeAsync();
            await _tally.DisposeAsync();
        }
    }

    private IEnumerable<(string, byte[])> Messages(int bad)
    {
        var now = DateTimeOffset.UtcNow;
        var every = Math.Max(1, o.Posts / bad);
        var b = 0;
        for (var i = 0; i < o.Posts; i++)
        {
            yield return ($"{_run}-{i}", FaultPosts.Valid(Platform, i, now));
            if (i % every == every - 1 && b < bad)
            {
                yield return ($"{_run}-bad-{b}", FaultPosts.Bad(Platform, b, now));
                b++;
            }
        }
        for (; b < bad; b++)
            yield return ($"{_run}-bad-{b}", FaultPosts.Bad(Platform, b, now));
    }

    private SupervisedWorker NewWorker(int number) => new(number, o.WorkerDll, new Dictionary<string, string>
    {
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Moderation__Bus__Transport"] = "RabbitMq",
        ["Moderation__Bus__Host"] = env.RabbitHost,
        ["Moderation__Bus__Port"] = env.RabbitPort.ToString(CultureInfo.InvariantCulture),
        ["Moderation__Bus__IntakeQueue"] = IntakeQueue,
        ["Moderation__Bus__TakedownCompletedQueue"] = $"faults-{_run}.takedown-completed",
        ["Moderation__Storage__Provider"] = "Postgres",
        ["Moderation__Storage__ConnectionString"] = new NpgsqlConnectionStringBuilder(env.ConnectionString) { MaxPoolSize = 50 }.ConnectionString,
        ["Moderation__Storage__MigrateOnStart"] = "false",
        ["Moderation__Startup__DependencyTimeout"] = "00:02:00",
        ["Moderation__Logging__Format"] = "json",
    }, logDirectory, Say);

    /// <summary>As a rolling deployment does: `migrate` once, workers with MigrateOnStart=false.</summary>
    private async Task MigrateAsync(CancellationToken ct)
    {
        await Shell.RunAsync("dotnet", [o.WorkerDll, "migrate"], TimeSpan.FromMinutes(2), new Dictionary<string, string>
        {
            ["Moderation__Storage__Provider"] = "Postgres",
            ["Moderation__Storage__ConnectionString"] = env.ConnectionString,
        }, ct: ct);
        Say("database migrated (`Moderation.Worker migrate`)");
    }

    /// <summary>The same flood of posts through one worker, then through two on the same queue.</summary>
    private async Task CompareThroughputAsync(CancellationToken ct)
    {
        var n = o.ThroughputPosts;
        var one = n > 0 ? await FloodAsync($"{Platform}-tp1", n, ct) : 0;
        _workers.Add(NewWorker(2));
        _workers[1].Start();
        await _workers[1].WaitReadyAsync(TimeSpan.FromMinutes(2), ct);
        Say("worker 2 ready");
        if (n == 0)
            return;
        var two = await FloodAsync($"{Platform}-tp2", n, ct);
        Say($"throughput: 1 worker {one:F0} posts/s, 2 workers {two:F0} posts/s ({two / one:F2}x), {n:N0} posts each, no faults");
    }

    private async Task<double> FloodAsync(string platform, int n, CancellationToken ct)
    {
        await using var publisher = new ResilientPublisher(() => env.Broker("faults-flood"), IntakeQueue, Say);
        var now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await publisher.PublishAsync(Enumerable.Range(0, n).Select(i => ($"{platform}-{i}", FaultPosts.Valid(platform, i, now))), 0, ct);
        await WaitUntilAsync(() => Task.FromResult(_tally.Decided(platform) >= n), $"{n} flood posts decided", TimeSpan.FromMinutes(10), ct);
        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Issue 8's schedule, by how much has been published (so every fault strikes while posts still arrive):
    /// kill -9 at 10%, broker restart at 30%, database outage at 50%, kill -9 at 70%.
    /// </summary>
    private async Task StandardFaultsAsync(CancellationToken ct)
    {
        if (o.Kills > 0)
        {
            await ProgressAsync(0.10, ct);
            Kill(_workers[0]);
        }
        if (o.BrokerRestarts > 0)
        {
            await ProgressAsync(0.30, ct);
            await RestartBrokerAsync("broker restart", ct);
        }
        if (o.DatabaseOutage > TimeSpan.Zero)
        {
            await ProgressAsync(0.50, ct);
            await DatabaseOutageAsync(ct);
        }
        if (o.Kills > 1)
        {
            await ProgressAsync(0.70, ct);
            Kill(_workers[^1]);
        }
    }

    /// <summary>Ten (or N) broker restarts in a row under load, each timed until the intake consumer is back.</summary>
    private async Task RestartBrokerRepeatedlyAsync(CancellationToken ct)
    {
        await ProgressAsync(0.05, ct);
        for (var i = 1; i <= o.BrokerRestarts; i++)
        {
            if (_published() >= o.Posts)
                Say($"  note: the publisher has finished; restart {i} and later ones have only the backlog as load (use more --posts or a lower --rate)");
            var before = _tally.Decided(Platform);
            await RestartBrokerAsync($"broker restart {i}/{o.BrokerRestarts}", ct);
            var more = Math.Min(300, Math.Max(0, o.Posts - before - 1));
            await WaitUntilAsync(() => Task.FromResult(_tally.Decided(Platform) >= before + more), $"{more} more posts decided after restart {i}", TimeSpan.FromMinutes(3), ct);
        }
    }

    private void Kill(SupervisedWorker worker)
    {
        Say($"fault: kill -9 worker {worker.Number} at {_published():N0} published, {_tally.Decided(Platform):N0} decided");
        worker.KillHard();
    }

    private async Task RestartBrokerAsync(string name, CancellationToken ct)
    {
        if (env.StopBroker is null || env.StartBroker is null)
        {
            Say($"fault skipped: {name} (no --broker-stop/--broker-start for an external broker)");
            return;
        }
        Say($"fault: {name} at {_published():N0} published, {_tally.Decided(Platform):N0} decided");
        var stop = _clock.Elapsed;
        await env.StopBroker(ct);
        await env.StartBroker(ct);
        var up = _clock.Elapsed;
        await WaitUntilAsync(async () => await IntakeConsumersAsync(ct) >= _workers.Count, "the intake consumers back", TimeSpan.FromMinutes(3), ct);
        var back = _clock.Elapsed;
        _consumerBack.Add((name, back - up, back - stop));
        var verdict = back - up <= FaultRunOptions.ConsumerBackLimit ? "" : $" — over {FaultRunOptions.ConsumerBackLimit.TotalSeconds:F0} s";
        Say($"  broker down {Shell.Seconds(up - stop)} s; intake consumers back {Shell.Seconds(back - up)} s after the broker was up{verdict}");
        if (back - up > FaultRunOptions.ConsumerBackLimit)
            _failures.Add($"{name}: the intake consumer took {Shell.Seconds(back - up)} s to come back");
    }

    private async Task DatabaseOutageAsync(CancellationToken ct)
    {
        if (env.StopDatabase is null || env.StartDatabase is null)
        {
            Say("fault skipped: database outage (no --db-stop/--db-start for an external server)");
            return;
        }
        Say($"fault: PostgreSQL stopped for {o.DatabaseOutage.TotalSeconds:F0} s at {_published():N0} published, {_tally.Decided(Platform):N0} decided");
        await env.StopDatabase(ct);
        var stopped = _clock.Elapsed;
        var decidedAtStop = _tally.Decided(Platform);
        await WaitUntilAsync(async () => !await _workers[0].IsReadyAsync(ct), "worker 1 reporting not ready", TimeSpan.FromSeconds(30), ct);
        Say($"  worker 1 /health/ready unhealthy {Shell.Seconds(_clock.Elapsed - stopped)} s after the stop");
        var remaining = o.DatabaseOutage - (_clock.Elapsed - stopped);
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining, ct);
        Say($"  {_tally.Decided(Platform) - decidedAtStop:N0} posts decided while the database was down (in flight when it stopped), {_published():N0} published by now; error queue {await ErrorQueueDepthAsync(ct):N0}");
        await env.StartDatabase(ct);
        var startedAt = _clock.Elapsed;
        await WaitUntilAsync(() => AllReadyAsync(ct), "workers ready again", TimeSpan.FromMinutes(2), ct);
        Say($"  PostgreSQL back; workers ready {Shell.Seconds(_clock.Elapsed - startedAt)} s later");
    }

    private async Task<bool> AllReadyAsync(CancellationToken ct)
    {
        foreach (var w in _workers)
            if (!await w.IsReadyAsync(ct))
                return false;
        return true;
    }

    private Task ProgressAsync(double fraction, CancellationToken ct) =>
        WaitUntilAsync(() => Task.FromResult(_published() >= (int)(o.Posts * fraction)), $"{fraction:P0} of the posts published", o.Timeout - _clock.Elapsed, ct);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"gave up waiting for {what} after {clock.Elapsed.TotalSeconds:F0} s ({_tally.Decided(Platform):N0} decided; logs in {logDirectory})");
            await Task.Delay(200, ct);
        }
    }

    private async Task<uint> IntakeConsumersAsync(CancellationToken ct) => (await QueueAsync(IntakeQueue, ct))?.ConsumerCount ?? 0;

    private async Task<uint> ErrorQueueDepthAsync(CancellationToken ct) => (await QueueAsync(ErrorQueue, ct))?.MessageCount ?? 0;

    private async Task<QueueDeclareOk?> QueueAsync(string queue, CancellationToken ct)
    {
        try
        {
            await using var connection = await env.Broker("faults-observer").CreateConnectionAsync(ct);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            return await channel.QueueDeclarePassiveAsync(queue, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null; // broker down, or the queue not declared yet
        }
    }

    /// <summary>SIGTERM, as a supervisor stops a worker: it must exit 0 within its shutdown timeout (30 s).</summary>
    private async Task StopWorkersAsync()
    {
        foreach (var w in _workers)
        {
            var (code, took) = await w.StopAsync(TimeSpan.FromSeconds(40));
            Say($"worker {w.Number}: SIGTERM -> exit {code} in {Shell.Seconds(took)} s; supervisor restarts during the run: {w.Exits.Count - 1} (exit codes {string.Join(", ", w.Exits.SkipLast(1))})");
            if (code != 0 || took > TimeSpan.FromSeconds(30))
                _failures.Add($"worker {w.Number} did not stop cleanly on SIGTERM (exit {code} after {Shell.Seconds(took)} s)");
        }
    }

    private async Task<int> CheckAsync(int bad, HashSet<string> badIds, CancellationToken ct)
    {
        long records, blocks, decisions, dbDuplicates, takedownRows;
        var byAction = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var tally = await PlatformTally.ReadAsync(env.ConnectionString, Platform, ct);
        records = tally.Records;
        dbDuplicates = tally.Duplicates;
        takedownRows = tally.TakedownRows;
        foreach (var (action, count) in tally.DecisionsByAction)
            byAction[action] = count;
        decisions = byAction.Values.Sum();
        blocks = byAction.GetValueOrDefault("block");

        var (errors, badInError, reasons) = await ReadErrorQueueAsync(badIds, ct);
        var moderated = _tally.For("ContentModerated", Platform);
        var takedowns = _tally.For("TakedownRequested", Platform);
        var duplicates = dbDuplicates + moderated.PostsUnderTwoIds + takedowns.PostsUnderTwoIds;

        Say($"records {records:N0} of {o.Posts:N0} published; decisions {decisions:N0} ({string.Join(", ", byAction.Select(a => $"{a.Key} {a.Value:N0}"))})");
        Say($"events: ContentModerated {moderated.Posts:N0} posts, {moderated.DistinctIds:N0} distinct ids, {moderated.Deliveries:N0} deliveries; " +
            $"TakedownRequested {takedowns.Posts:N0} posts, {takedowns.DistinctIds:N0} distinct ids, {takedowns.Deliveries:N0} deliveries; takedown rows {takedownRows:N0}");
        Say($"duplicates: {dbDuplicates} in the database, {moderated.PostsUnderTwoIds + takedowns.PostsUnderTwoIds} posts whose event came under two different ids");
        Say($"error queue: {errors} messages, {badInError} of the {bad} bad inputs; reasons: {(reasons.Count == 0 ? "none" : string.Join("; ", reasons.OrderByDescending(r => r.Value).Take(6).Select(r => $"{r.Value} × {r.Key}")))}");
        foreach (var (fault, fromUp, fromStop) in _consumerBack)
            Say($"{fault}: intake consumer back {Shell.Seconds(fromUp)} s after the broker was up ({Shell.Seconds(fromStop)} s after the stop began)");

        if (records != o.Posts) _failures.Add($"{records} records for {o.Posts} posts");
        if (duplicates != 0) _failures.Add($"{duplicates} duplicates");
        if (errors != badInError) _failures.Add($"{errors - badInError} posts in the error queue that are not bad input");
        if (badInError != bad) _failures.Add($"{bad - badInError} bad inputs missing from the error queue");
        if (moderated.Posts != decisions || decisions != records) _failures.Add($"ContentModerated for {moderated.Posts} posts, {decisions} decisions, {records} records");
        if (takedowns.Posts != blocks || takedownRows != blocks) _failures.Add($"takedowns {takedowns.Posts} (rows {takedownRows}) for {blocks} blocks");

        foreach (var f in _failures)
            Console.WriteLine("FAILED: " + f);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"faults: published {o.Posts}, records {records}, duplicates {duplicates}, dead-lettered {errors} (bad input {badInError}), takedowns {takedowns.Posts}, blocks {blocks}"));
        return _failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Reads (and removes) the error queue: how many, how many are our bad inputs, and the reasons.</summary>
    private async Task<(int Total, int BadInput, Dictionary<string, int> Reasons)> ReadErrorQueueAsync(HashSet<string> badIds, CancellationToken ct)
    {
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        int total = 0, badInput = 0;
        await using var connection = await env.Broker("faults-errors").CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        if (await QueueAsync(ErrorQueue, ct) is null)
            return (0, 0, reasons);
        while (await channel.BasicGetAsync(ErrorQueue, autoAck: true, ct) is { } m)
        {
            total++;
            if (m.BasicProperties.MessageId is { } id && badIds.Contains(id))
                badInput++;
            var headers = m.BasicProperties.Headers;
            var reason = headers?.TryGetValue(Moderation.Contracts.WireHeaders.RejectReason, out var r) == true && r is byte[] b ? Encoding.UTF8.GetString(b) : "(no reason)";
            // Group reasons that differ only in the times they quote.
            var key = Timestamp().Replace(reason, "<time>");
            key = key.Length > 70 ? key[..70] + "…" : key;
            reasons[key] = reasons.GetValueOrDefault(key) + 1;
        }
        return (total, badInput, reasons);
    }
}
