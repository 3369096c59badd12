using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Review.Api;
using Moderation.Review.Auth;
using Moderation.Review.Data;
using Moderation.Review.Messaging;
using Moderation.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Moderation.Review.Benchmark;

/// <summary>
/// `Moderation.Review benchmark [--items 100000] [--requests 300] [--pg "Host=..."] [--keep]`:
/// seeds a fresh database with N open quarantine items by binary COPY, starts the real app on a loopback port
/// (API-key auth, audit writes and all) and times listing and opening items over HTTP. Target: p95 &lt; 100 ms.
/// </summary>
public static class ReviewBenchmark
{
    private static readonly string[] Platforms = ["forum-a", "chat-b", "news-c", "game-d", "mail-e"];
    private static readonly string[] SubLabels = ["gambling", "violence", "drugs", "fraud", "porn", "rumour", "insult", "cult"];

    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Open quarantine items to seed.", DefaultValueFactory = _ => 100_000 };
        var requests = new Option<int>("--requests") { Description = "Timed requests per scenario.", DefaultValueFactory = _ => 300 };
        var pg = new Option<string?>("--pg") { Description = "PostgreSQL server connection string (a scratch database is created). Default: MODERATION_TEST_PG, else Host=127.0.0.1;Username=postgres;Password=postgres." };
        var keep = new Option<bool>("--keep") { Description = "Keep the scratch database afterwards." };
        var command = new Command("benchmark", "Seed a scratch database with open quarantine items and time listing and opening them over HTTP (target p95 < 100 ms).")
        {
            items, requests, pg, keep,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(items) < 1 || r.GetValue(requests) < 1)
                r.AddError("--items and --requests must be positive.");
        });
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(items),
            parse.GetValue(requests),
            parse.GetValue(pg) ?? Environment.GetEnvironmentVariable("MODERATION_TEST_PG") ?? "Host=127.0.0.1;Username=postgres;Password=postgres",
            parse.GetValue(keep),
            ct));
        return command;
    }

    public static async Task<int> RunAsync(int items, int requests, string server, bool keep, CancellationToken ct)
    {
        var database = "review_bench_" + Guid.NewGuid().ToString("N")[..8];
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        try
        {
            DatabaseMigrator.ApplyPostgres(cs);
            var sw = Stopwatch.StartNew();
            var ids = await SeedAsync(cs, items);
            Console.WriteLine($"seeded {items:N0} quarantine items (records, decisions, queue rows) in {sw.Elapsed.TotalSeconds:F1} s by binary COPY");

            const string key = "bench-key";
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Moderation"] = cs,
                ["Moderation:Review:MigrateOnStart"] = "false",
                ["Moderation:Review:ApiKeys:0:Name"] = "bench",
                ["Moderation:Review:ApiKeys:0:KeySha256"] = ReviewerDirectory.HashApiKey(key),
                ["Moderation:Review:ApiKeys:0:Roles:0"] = ReviewRoles.Admin,
            });
            // The same composition as Program.cs.
            builder.AddReviewApp();
            await using var app = builder.Build();
            app.UseReviewApp();
            await app.StartAsync(ct);
            var address = app.Urls.First();

            using var client = new HttpClient { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
            var random = new Random(42);
            string? deepCursor = null;

            var scenarios = new (string Name, Func<Task<string>> Url)[]
            {
                ("list: first page by severity (50)", () => Task.FromResult("/api/queue?sort=severity&limit=50")),
                ("list: first page by age (50)", () => Task.FromResult("/api/queue?sort=age&limit=50")),
                ("list: category + sub-label filter", () => Task.FromResult($"/api/queue?category={random.Next(1, 10)}&subLabel={SubLabels[random.Next(SubLabels.Length)]}&limit=50")),
                ("list: platform + service type + min severity", () => Task.FromResult($"/api/queue?platform={Platforms[random.Next(Platforms.Length)]}&serviceType=forum&minSeverity=3&limit=50")),
                ("list: older than 3 days, by age", () => Task.FromResult("/api/queue?minAge=4320&sort=age&limit=50")),
                ("list: keyset page deep in the queue", async () =>
                {
                    deepCursor ??= await DeepCursorAsync(client, 200);
                    return $"/api/queue?sort=severity&limit=50&after={deepCursor}";
                }),
                ("open item (+ audit write, author history)", () => Task.FromResult($"/api/items/{ids[random.Next(ids.Count)]}")),
            };

            Console.WriteLine($"{requests} sequential requests per scenario over HTTP on {address}, after 20 warm-up requests each:");
            Console.WriteLine($"{"scenario",-48} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
            var worstP95 = 0.0;
            foreach (var (name, url) in scenarios)
            {
                for (var i = 0; i < 20; i++) await GetAsync(client, await url());
                var times = new List<double>(requests);
                for (var i = 0; i < requests; i++)
                {
                    var u = await url();
                    var t = Stopwatch.GetTimestamp();
                    await GetAsync(client, u);
                    times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                times.Sort();
                var p95 = Pct(times, 0.95);
                worstP95 = Math.Max(worstP95, p95);
                Console.WriteLine($"{name,-48} {Pct(times, 0.50),8:F2} {p95,8:F2} {Pct(times, 0.99),8:F2} {times[^1],8:F2}");
            }
            Console.WriteLine($"worst p95 {worstP95:F2} ms (target < 100 ms): {(worstP95 < 100 ? "PASS" : "FAIL")}");
            await app.StopAsync(CancellationToken.None);
            return worstP95 < 100 ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (!keep)
            {
                await using var admin = new NpgsqlConnection(server);
                await admin.OpenAsync(CancellationToken.None);
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
            else
            {
                Console.WriteLine($"kept database {database}");
            }
        }
    }

    private static async Task<string> DeepCursorAsync(HttpClient client, int pages)
    {
        string? cursor = null;
        for (var i = 0; i < pages; i++)
        {
            var json = await GetAsync(client, "/api/queue?sort=severity&limit=50" + (cursor is null ? "" : "&after=" + cursor));
            using var doc = JsonDocument.Parse(json);
            cursor = doc.RootElement.GetProperty("nextCursor").GetString() ?? cursor;
        }
        return cursor!;
    }

    private static async Task<string> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task<List<Guid>> SeedAsync(string cs, int count)
    {
        var random = new Random(7);
        var now = TimeProvider.System.GetUtcNow();
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var platform = Platforms[i % Platforms.Length];
            var contentId = "bench-" + i.ToString(CultureInfo.InvariantCulture);
            var category = random.Next(1, 10);
            var sub = SubLabels[random.Next(SubLabels.Length)];
            var body = $"Benchmark post {i} mentions placeholder-term-{category} among ordinary words, repeated to a typical length. "
                       + new string('x', random.Next(20, 400));
            return new
            {
                Id = DeterministicIds.Decision(platform, contentId, 1), Platform = platform, ContentId = contentId,
                ServiceType = ServiceTypes.All[random.Next(ServiceTypes.All.Count)], Author = "author-" + random.Next(5000).ToString(CultureInfo.InvariantCulture),
                Body = body, Category = category, Sub = sub, Severity = random.Next(0, 6), Score = Math.Round(random.NextDouble(), 4),
                Created = now.AddSeconds(-random.Next(0, 7 * 24 * 3600)).UtcDateTime,
                Hits = $$"""[{"term":"placeholder-term-{{category}}","category":{{category}},"subLabel":"{{sub}}","severity":3,"start":25,"end":{{25 + 18}},"matched":"placeholder-term-{{category}}"}]""",
            };
        }).ToList();

        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY post_records (platform, content_id, version, service_type, author_id, body, published_at, source_ip, received_at, content_sha256, retain_until) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await w.StartRowAsync();
                await w.WriteAsync(r.Platform, NpgsqlDbType.Text);
                await w.WriteAsync(r.ContentId, NpgsqlDbType.Text);
                await w.WriteAsync(1L, NpgsqlDbType.Bigint);
                await w.WriteAsync(r.ServiceType, NpgsqlDbType.Text);
                await w.WriteAsync(r.Author, NpgsqlDbType.Text);
                await w.WriteAsync(r.Body, NpgsqlDbType.Text);
                await w.WriteAsync(r.Created, NpgsqlDbType.TimestampTz);
                await w.WriteAsync(IPAddress.Parse("198.51.100.23"), NpgsqlDbType.Inet);
                await w.WriteAsync(r.Created, NpgsqlDbType.TimestampTz);
                await w.WriteAsync(new string('a', 64), NpgsqlDbType.Text);
                await w.WriteAsync(r.Created.AddDays(180), NpgsqlDbType.TimestampTz);
            }
            await w.CompleteAsync();
        }
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY decisions (decision_id, platform, content_id, version, action, categories, scores, hits, reasons, lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await w.StartRowAsync();
                await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await w.WriteAsync(r.Platform, NpgsqlDbType.Text);
                await w.WriteAsync(r.ContentId, NpgsqlDbType.Text);
                await w.WriteAsync(1L, NpgsqlDbType.Bigint);
                await w.WriteAsync(ModerationActions.Quarantine, NpgsqlDbType.Text);
                await w.WriteAsync(new[] { r.Category }, NpgsqlDbType.Array | NpgsqlDbType.Integer);
                await w.WriteAsync($$"""[{"category":{{r.Category}},"subLabel":"{{r.Sub}}","score":{{r.Score.ToString(CultureInfo.InvariantCulture)}},"source":"model"}]""", NpgsqlDbType.Jsonb);
                await w.WriteAsync(r.Hits, NpgsqlDbType.Jsonb);
                await w.WriteAsync("[\"benchmark\"]", NpgsqlDbType.Jsonb);
                await w.WriteAsync("lex-bench", NpgsqlDbType.Text);
                await w.WriteAsync("model-bench", NpgsqlDbType.Text);
                await w.WriteAsync("policy-bench", NpgsqlDbType.Text);
                await w.WriteAsync(r.Created, NpgsqlDbType.TimestampTz);
                await w.WriteAsync("{}", NpgsqlDbType.Text);
                await w.WriteAsync(new string('e', 64), NpgsqlDbType.Text);
            }
            await w.CompleteAsync();
        }
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY quarantine (decision_id, platform, content_id, version, service_type, categories, sub_labels, max_severity, top_score, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await w.StartRowAsync();
                await w.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await w.WriteAsync(r.Platform, NpgsqlDbType.Text);
                await w.WriteAsync(r.ContentId, NpgsqlDbType.Text);
                await w.WriteAsync(1L, NpgsqlDbType.Bigint);
                await w.WriteAsync(r.ServiceType, NpgsqlDbType.Text);
                await w.WriteAsync(new[] { r.Category }, NpgsqlDbType.Array | NpgsqlDbType.Integer);
                await w.WriteAsync(new[] { r.Sub }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await w.WriteAsync(r.Severity, NpgsqlDbType.Integer);
                await w.WriteAsync(r.Score, NpgsqlDbType.Double);
                await w.WriteAsync(r.Created, NpgsqlDbType.TimestampTz);
            }
            await w.CompleteAsync();
        }
        await using (var analyze = new NpgsqlCommand("ANALYZE", conn))
            await analyze.ExecuteNonQueryAsync();
        return rows.Select(r => r.Id).ToList();
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
