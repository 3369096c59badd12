using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Contracts;
using Moderation.Core.Posts;
using Moderation.Pipeline;

namespace Moderation.Worker.Demo;

/// <summary>
/// `demo [posts.jsonl] [--database FILE]`: starts the real worker host on the embedded default (in-memory
/// bus, a fresh SQLite file), publishes the posts of the file (default: the bundled samples), prints each
/// decision as it is emitted, then a summary, and exits 0 when every post was either decided or rejected
/// with a reason. A line that is not a well-formed post (bad JSON, a wrong type, a duplicate key) is
/// reported with its line number and the same reason the worker's intake gives, and the run goes on.
/// </summary>
public static class DemoRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Settings the demo decides itself: it always runs on its own fresh embedded database and bus.</summary>
    private static readonly string[] OwnSettings =
        ["Moderation:Storage:Provider", "Moderation:Storage:ConnectionString", "ConnectionStrings:Moderation", "Moderation:Bus:Transport"];

    public static Task<int> RunAsync(DemoOptions options, CancellationToken ct = default) => RunAsync(options, Console.Out, ct);

    public static async Task<int> RunAsync(DemoOptions options, TextWriter output, CancellationToken ct = default)
    {
        var lines = (await File.ReadAllLinesAsync(options.SamplesPath, ct))
            .Select((text, index) => (Text: text, Number: index + 1))
            .Where(l => !string.IsNullOrWhiteSpace(l.Text) && !l.Text.StartsWith("//", StringComparison.Ordinal))
            .ToList();
        var keep = options.DatabasePath is not null;
        var dbPath = options.DatabasePath ?? Path.Combine(Path.GetTempPath(), $"moderation-demo-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        if (keep && File.Exists(dbPath))
        {
            await Console.Error.WriteLineAsync($"{dbPath} already exists: the demo writes a new database. Delete it or choose another path.");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = options.Settings,
            ContentRootPath = AppContext.BaseDirectory,
            // The in-memory bus is deliberate here (one process does everything), which only Development allows.
            EnvironmentName = Environments.Development,
        });
        // Say so rather than silently running somewhere else than the user asked.
        var refused = OwnSettings.Where(key => builder.Configuration[key] is { } value && !IsEmbeddedDefault(key, value)).ToList();
        if (refused.Count > 0)
        {
            await Console.Error.WriteLineAsync($"demo always runs on its own fresh SQLite database and the in-memory bus; it does not take {string.Join(", ", refused)}. " +
                "Use --database FILE to keep the demo's database, or run the worker without `demo` against PostgreSQL and RabbitMQ.");
            return 2;
        }
        // The ledger's signing key: an ephemeral one unless the user gave theirs. Days are sealed only once over, so a demo
        // run signs nothing itself; the key is there so the whole worker runs as configured, and its public half is kept.
        using var ephemeralKey = builder.Configuration["Moderation:Ledger:SigningKey"] is null && builder.Configuration["Moderation:Ledger:SigningKeyPath"] is null
            ? Moderation.Core.Ledger.LedgerSigner.Generate()
            : null;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Ledger:SigningKey"] = ephemeralKey?.PrivateKeyPem ?? builder.Configuration["Moderation:Ledger:SigningKey"],
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

        var host = builder.Build();
        var hostStopped = false;
        try
        {
            await host.StartAsync(ct);
            var bus = host.Services.GetRequiredService<IBus>();
            output.WriteLine($"Publishing {lines.Count} posts from {options.SamplesPath}");

            // What the worker's intake checks on a raw body comes first, so a bad line is reported like
            // the worker reports it; a post already published (same platform, contentId and version)
            // would be recorded once and emit nothing, so it is reported here instead of awaited.
            var summary = new DemoSummary(output);
            var published = new List<(int Line, Guid MessageId)>();
            var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
            var unreadable = new List<(int Line, string Reason)>();
            foreach (var (text, number) in lines)
            {
                var reason = IntakeSchema.Check(Encoding.UTF8.GetBytes(text));
                ContentPublished? post = null;
                if (reason is null)
                {
                    try
                    {
                        post = JsonSerializer.Deserialize<ContentPublished>(text, Json);
                    }
                    catch (JsonException ex)
                    {
                        reason = $"The message cannot be read as a post: {ex.Message}";
                    }
                }

                if (post is null)
                {
                    unreadable.Add((number, reason ?? "The message is JSON null."));
                    continue;
                }

                var key = DemoSummary.KeyOf(post);
                if (key is not null && firstLine.TryGetValue(key, out var first))
                {
                    unreadable.Add((number, $"same platform, contentId and version as line {first}: recorded once, no second decision"));
                    continue;
                }

                if (key is not null)
                    firstLine[key] = number;
                var messageId = NewId.NextGuid();
                published.Add((number, messageId));
                await bus.Publish(post, p =>
                {
                    p.MessageId = messageId;
                    p.ConversationId = messageId;
                }, ct);
            }

            // Results arrive in whatever order the concurrent consumers finish; print them in file order.
            var arrived = new Dictionary<Guid, object>();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                while (arrived.Count < published.Count)
                {
                    var result = (DemoResult)await results.Reader.ReadAsync(timeout.Token);
                    if (result.PostMessageId is { } id)
                        arrived[id] = result.Message;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("Demo timed out waiting for decisions.");
                return 1;
            }

            var byLine = published.Select(p => (p.Line, Print: (Action)(() => summary.Print(arrived[p.MessageId], p.Line))))
                .Concat(unreadable.Select(u => (u.Line, Print: (Action)(() => summary.PrintUnreadable(u.Line, u.Reason)))))
                .OrderBy(x => x.Line);
            foreach (var (_, print) in byLine)
                print();
            summary.PrintTotals();
            if (keep)
                output.WriteLine($"database kept at {dbPath}");
            if (ephemeralKey is not null)
            {
                output.WriteLine($"record ledger: every record and decision is chained; the signing key is ephemeral (generated for this run, id {ephemeralKey.KeyId}, never stored).");
                if (keep)
                {
                    await File.WriteAllTextAsync(dbPath + ".ledger.pub.pem", ephemeralKey.PublicKeyPem, ct);
                    output.WriteLine($"  its public key: {dbPath}.ledger.pub.pem; check the chain with: records verify --provider Sqlite --connection \"Data Source={dbPath}\"");
                }
            }

            if (options.ReviewPort is not { } port)
                return 0;
            // The worker is done; the page gets the database to itself.
            await host.StopAsync(CancellationToken.None);
            hostStopped = true;
            return await DemoReviewPage.RunAsync(dbPath, port, ct);
        }
        finally
        {
            if (!hostStopped)
                await host.StopAsync(CancellationToken.None);
            host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!keep)
            {
                foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
                    File.Delete(f);
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
