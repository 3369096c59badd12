using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Contracts;

namespace Moderation.Worker.Demo;

/// <summary>
/// `demo [samples.jsonl]`: starts the real worker host on the embedded default (in-memory bus, a fresh
/// SQLite file), publishes the bundled sample posts, prints each decision as it is emitted, then a
/// summary, and exits 0 when every post was either decided or rejected with a reason.
/// </summary>
public static class DemoRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        var samplesPath = args.FirstOrDefault(a => !a.StartsWith('-')) ?? Path.Combine(AppContext.BaseDirectory, "samples", "posts.jsonl");
        var lines = (await File.ReadAllLinesAsync(samplesPath)).Where(l => !string.IsNullOrWhiteSpace(l) && !l.StartsWith("//", StringComparison.Ordinal)).ToList();
        var dbPath = Path.Combine(Path.GetTempPath(), $"moderation-demo-{Environment.ProcessId}.db");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.Where(a => a.StartsWith('-')).ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
            // The in-memory bus is deliberate here (one process does everything), which only Development allows.
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "InMemory",
            ["Moderation:Storage:Provider"] = "Sqlite",
            ["Moderation:Storage:ConnectionString"] = $"Data Source={dbPath};Pooling=false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Critical);
        var results = Channel.CreateUnbounded<object>();
        builder.Services.AddSingleton(results);
        builder.Services.AddModerationWorker(builder.Configuration, x => x.AddConsumer<DemoObserver>());

        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            Console.WriteLine($"Publishing {lines.Count} sample posts from {samplesPath}");
            foreach (var line in lines)
                await bus.Publish(JsonSerializer.Deserialize<ContentPublished>(line, Json)!);

            // Results arrive in whatever order the concurrent consumers finish; print them in sample order.
            var arrived = new List<object>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (arrived.Count < lines.Count)
                arrived.Add(await results.Reader.ReadAsync(timeout.Token));
            var order = lines.Select(l => JsonSerializer.Deserialize<ContentPublished>(l, Json)!.ContentId).ToList();
            var summary = new DemoSummary();
            foreach (var result in arrived.OrderBy(r => order.IndexOf(DemoSummary.ContentIdOf(r))))
                summary.Print(result);
            summary.PrintTotals();
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Demo timed out waiting for decisions.");
            return 1;
        }
        finally
        {
            await host.StopAsync();
            foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
                File.Delete(f);
        }
    }
}
