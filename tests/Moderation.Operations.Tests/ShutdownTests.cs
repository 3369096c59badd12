using System.Diagnostics;
using System.Globalization;
using Moderation.Cli.Faults;
using Moderation.Operations.Tests.Infrastructure;
using Moderation.Storage;

namespace Moderation.Operations.Tests;

/// <summary>SIGTERM always stops the worker within its shutdown timeout, returning the posts it holds to the queue.</summary>
[Collection(ScratchCollection.Name)]
public sealed class ShutdownTests(ScratchServices services, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task SIGTERM_during_a_database_outage_stops_the_worker_in_time_and_returns_every_held_post_to_the_queue()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"shutdown-{run}.content-published";
        var db = await services.CreateDatabaseAsync("shutdown");
        DatabaseMigrator.ApplyPostgres(db);
        var health = Shell.FreePort();
        await using var worker = AppProcess.Start("Moderation.Worker", new Dictionary<string, string>
        {
            ["Moderation__Bus__Transport"] = "RabbitMq",
            ["Moderation__Bus__Host"] = "127.0.0.1",
            ["Moderation__Bus__Port"] = services.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["Moderation__Bus__IntakeQueue"] = queue,
            ["Moderation__Bus__TakedownCompletedQueue"] = $"shutdown-{run}.takedown-completed",
            ["Moderation__Storage__Provider"] = "Postgres",
            ["Moderation__Storage__ConnectionString"] = db,
            ["Moderation__Storage__MigrateOnStart"] = "false",
            ["Moderation__Startup__ShutdownTimeout"] = "00:00:15",
            ["Moderation__Health__Urls"] = $"http://127.0.0.1:{health}",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{health}"), Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(async () => await ReadyAsync(http), TimeSpan.FromSeconds(60), "the worker ready");

        await services.StopDatabaseAsync();
        try
        {
            await Posts.PublishAsync(services.Broker(), queue, Enumerable.Range(0, 50).Select(i => ($"{run}-{i}", Posts.Json(run, $"p-{i}"))));
            // Every post taken by the worker and held (none ready in the queue, the circuit open).
            await Wait.UntilAsync(async () => await services.DepthAsync(queue) == 0 && (await MetricsAsync(http)).Contains("moderation_intake_held", StringComparison.Ordinal)
                && HeldAtLeast(await MetricsAsync(http), 1), TimeSpan.FromSeconds(30), "the posts held by the worker");

            var clock = Stopwatch.StartNew();
            await worker.TerminateAsync();
            var code = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"SIGTERM with posts held: exit {code} after {clock.Elapsed.TotalSeconds:F1} s (shutdown timeout 15 s)");
            Assert.Equal(0, code);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the stop took {clock.Elapsed.TotalSeconds:F1} s");
            await Wait.UntilAsync(async () => await services.DepthAsync(queue) == 50, TimeSpan.FromSeconds(10), "all 50 posts back in the queue");
            Assert.Equal(0u, await services.DepthAsync(queue + "_error"));
        }
        finally
        {
            await services.StartDatabaseAsync();
        }
    }

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        try
        {
            using var r = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return r.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<string> MetricsAsync(HttpClient http)
    {
        try
        {
            return await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return "";
        }
    }

    private static bool HeldAtLeast(string metrics, int n) =>
        metrics.Split('\n').Where(l => l.StartsWith("moderation_intake_held", StringComparison.Ordinal))
            .Any(l => double.TryParse(l.Split(' ')[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= n);
}
