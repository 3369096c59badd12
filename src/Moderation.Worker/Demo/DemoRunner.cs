using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Contracts;
using Moderation.Pipeline;

namespace Moderation.Worker.Demo;

/// <summary>
/// `demo`: starts the real worker host on the embedded default (in-memory bus, a fresh SQLite file),
/// publishes the sample posts, prints each decision as it is emitted, then a summary, and exits 0 when
/// every post was either decided or rejected with a reason.
/// </summary>
public static class DemoRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Settings the demo decides itself: it always runs on its own fresh embedded database and bus.</summary>
    private static readonly string[] OwnSettings =
        ["Moderation:Storage:Provider", "Moderation:Storage:ConnectionString", "ConnectionStrings:Moderation", "Moderation:Bus:Transport"];

    public static async Task<int> RunAsync(DemoOptions options, CancellationToken ct = default)
    {
        var lines = (await File.ReadAllLinesAsync(options.SamplesPath, ct)).Where(l => !string.IsNullOrWhiteSpace(l) && !l.StartsWith("//", StringComparison.Ordinal)).ToList();
        var keep = options.DatabasePath is not null;
        var dbPath = options.DatabasePath ?? Path.Combine(Path.GetTempPath(), $"moderation-demo-{Environment.ProcessId}.db");
        if (keep && File.Exists(dbPath))
        {
            await Console.Error.WriteLineAsync($"{dbPath} already exists: the demo writes a new database. Delete it or choose another path.");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = options.Settings,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Say so rather than silently running somewhere else than the user asked.
        var refused = OwnSettings.Where(key => builder.Configuration[key] is { } value && !IsEmbeddedDefault(key, value)).ToList();
        if (refused.Count > 0)
        {
            await Console.Error.WriteLineAsync($"demo always runs on its own fresh SQLite database and the in-memory bus; it does not take {string.Join(", ", refused)}. " +
                "Use --database FILE to keep the demo's database, or run the worker without `demo` against PostgreSQL and RabbitMQ.");
            return 2;
        }
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
        await host.StartAsync(ct);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            Console.WriteLine($"Publishing {lines.Count} sample posts from {options.SamplesPath}");
            foreach (var line in lines)
                await bus.Publish(JsonSerializer.Deserialize<ContentPublished>(line, Json)!, ct);

            // Results arrive in whatever order the concurrent consumers finish; print them in sample order.
            var arrived = new List<object>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
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
            await host.StopAsync(CancellationToken.None);
            if (!keep)
            {
                foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
                    File.Delete(f);
            }
            else
            {
                Console.WriteLine($"database kept at {dbPath}");
            }
        }
    }

    private static bool IsEmbeddedDefault(string key, string value) => key switch
    {
        "Moderation:Storage:Provider" => string.Equals(value, "Sqlite", StringComparison.OrdinalIgnoreCase),
        "Moderation:Bus:Transport" => string.Equals(value, "InMemory", StringComparison.OrdinalIgnoreCase),
        _ => string.IsNullOrEmpty(value),
    };
}
