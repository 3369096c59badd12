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

namespace Moderation.Worker.Demo;

/// <summary>
/// `demo [posts.jsonl]`: starts the real worker host on the embedded default (in-memory bus, a fresh
/// SQLite file), publishes the posts of the file (default: the bundled samples), prints each decision
/// as it is emitted, then a summary, and exits 0 when every post was either decided or rejected with a
/// reason. A line that is not a well-formed post (bad JSON, a wrong type, a duplicate key) is reported
/// with its line number and the same reason the worker's intake gives, and the run goes on.
/// </summary>
public static class DemoRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var samplesPath = args.FirstOrDefault(a => !a.StartsWith('-')) ?? Path.Combine(AppContext.BaseDirectory, "samples", "posts.jsonl");
        var lines = (await File.ReadAllLinesAsync(samplesPath))
            .Select((text, index) => (Text: text, Number: index + 1))
            .Where(l => !string.IsNullOrWhiteSpace(l.Text) && !l.Text.StartsWith("//", StringComparison.Ordinal))
            .ToList();
        var dbPath = Path.Combine(Path.GetTempPath(), $"moderation-demo-{Environment.ProcessId}-{Guid.NewGuid():N}.db");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.Where(a => a.StartsWith('-')).ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
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
            output.WriteLine($"Publishing {lines.Count} posts from {samplesPath}");

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
                });
            }

            // Results arrive in whatever order the concurrent consumers finish; print them in file order.
            var arrived = new Dictionary<Guid, object>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (arrived.Count < published.Count)
            {
                var result = (DemoResult)await results.Reader.ReadAsync(timeout.Token);
                if (result.PostMessageId is { } id)
                    arrived[id] = result.Message;
            }

            var byLine = published.Select(p => (p.Line, Print: (Action)(() => summary.Print(arrived[p.MessageId], p.Line))))
                .Concat(unreadable.Select(u => (u.Line, Print: (Action)(() => summary.PrintUnreadable(u.Line, u.Reason)))))
                .OrderBy(x => x.Line);
            foreach (var (_, print) in byLine)
                print();
            summary.PrintTotals();
            return 0;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Demo timed out waiting for decisions.");
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
