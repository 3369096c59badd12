using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Review.Auth;
using Moderation.Storage;

namespace Moderation.Review.Benchmark;

/// <summary>
/// `Moderation.Review benchmark [--items 100000] [--requests 300] [--provider Postgres|Sqlite] [--pg "Host=..."] [--keep]`:
/// seeds a scratch database with N open quarantine items through the worker's own store code
/// (<see cref="IModerationStore.SaveAsync"/>: records, decisions with their evidence snapshot, queue rows), starts
/// the real app on a loopback port (API-key auth, audit writes and all) and times listing and opening items over
/// HTTP. Target: p95 &lt; 100 ms.
/// </summary>
public static class ReviewBenchmark
{
    private static readonly string[] Platforms = ["forum-a", "chat-b", "news-c", "game-d", "mail-e"];

    /// <summary>
    /// What the worker holds for review under the shipped policy: lexicon terms (from models/lexicon, and operator
    /// placeholders for the categories whose lexicon the operator supplies) at the severities that quarantine
    /// rather than block (category 8 never blocks, so it is held even at severity 3).
    /// </summary>
    private static readonly (int Category, string SubLabel, string Term, int MaxSeverity)[] Held =
    [
        (1, "-", "占位词甲", 2), (2, "-", "占位词乙", 2), (3, "-", "占位词丙", 2), (5, "cult", "占位词丁", 2), (6, "rumour", "占位词戊", 2),
        (4, "ethnic-slur", "小日本", 2), (4, "racism", "黑命贵", 1),
        (7, "gambling", "六合彩", 2), (7, "porn", "一夜情", 1), (7, "violence", "弄死你", 2), (7, "terror", "恐怖袭击", 1),
        (8, "insult", "喷子", 3), (8, "sexism", "直男癌", 2), (8, "regional", "河南骗子", 2),
        (9, "drugs", "氯胺酮", 2), (9, "fraud", "杀猪盘", 2), (9, "weapons", "管制刀具", 1), (9, "illegal-goods", "假币", 2),
    ];

    private static readonly string[] Filler =
        ["今天下午在群里看到有人说", "大家注意一下，", "转发一条消息：", "有没有人知道", "楼主说的是真的吗？", "这个帖子里有人提到"];

    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Open quarantine items to seed.", DefaultValueFactory = _ => 100_000 };
        var requests = new Option<int>("--requests") { Description = "Timed requests per scenario.", DefaultValueFactory = _ => 300 };
        var provider = new Option<string>("--provider") { Description = "Postgres (a scratch database on --pg) or Sqlite (a temporary file).", DefaultValueFactory = _ => StorageOptions.Postgres };
        provider.AcceptOnlyFromAmong(StorageOptions.Postgres, StorageOptions.Sqlite);
        var pg = new Option<string?>("--pg") { Description = "PostgreSQL server connection string (a scratch database is created). Default: MODERATION_TEST_PG, else Host=127.0.0.1;Username=postgres;Password=postgres." };
        var keep = new Option<bool>("--keep") { Description = "Keep the scratch database afterwards." };
        var command = new Command("benchmark", "Seed a scratch database with open quarantine items through the worker's store code and time listing and opening them over HTTP (target p95 < 100 ms).")
        {
            items, requests, provider, pg, keep,
        };
        foreach (var count in new[] { items, requests })
        {
            count.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                    r.AddError($"{count.Name} must be positive.");
            });
        }
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(items),
            parse.GetValue(requests),
            parse.GetValue(provider)!,
            parse.GetValue(pg) ?? Environment.GetEnvironmentVariable("MODERATION_TEST_PG") ?? "Host=127.0.0.1;Username=postgres;Password=postgres",
            parse.GetValue(keep),
            ct));
        return command;
    }

    public static async Task<int> RunAsync(int items, int requests, string provider, string server, bool keep, CancellationToken ct)
    {
        ScratchDatabase? scratch = null;
        string? sqlitePath = null;
        string cs;
        if (provider == StorageOptions.Postgres)
        {
            scratch = await ScratchDatabase.CreateAsync(server, "review_bench", ct);
            scratch.Keep = keep;
            cs = scratch.ConnectionString;
        }
        else
        {
            sqlitePath = Path.Combine(Path.GetTempPath(), $"review-bench-{Guid.NewGuid():N}.db");
            cs = $"Data Source={sqlitePath}";
        }
        try
        {
            DatabaseMigrator.Apply(new StorageOptions { Provider = provider, ConnectionString = cs });
            var now = TimeProvider.System.GetUtcNow();
            var sw = Stopwatch.StartNew();
            var ids = await SeedAsync(provider, cs, items, now, ct);
            if (scratch is not null)
                await scratch.AnalyzeAsync(ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded {items:N0} quarantine items on {provider} through IModerationStore.SaveAsync (records, decisions, evidence, queue rows) in {sw.Elapsed.TotalSeconds:F1} s"));

            const string key = "bench-key";
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [] });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Moderation:Storage:Provider"] = provider,
                ["Moderation:Storage:ConnectionString"] = cs,
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
                ("list: category + sub-label filter", () =>
                {
                    var (category, subLabel, _, _) = Held[random.Next(Held.Length)];
                    return Task.FromResult($"/api/queue?category={category}" + (subLabel == "-" ? "" : $"&subLabel={subLabel}") + "&limit=50");
                }),
                ("list: platform + service type + min severity", () => Task.FromResult($"/api/queue?platform={Platforms[random.Next(Platforms.Length)]}&serviceType=forum&minSeverity=2&limit=50")),
                ("list: older than 3 days, by age", () => Task.FromResult("/api/queue?minAge=4320&sort=age&limit=50")),
                ("list: keyset page 200 pages deep", async () =>
                {
                    deepCursor ??= await DeepCursorAsync(client, Math.Min(200, items / 50), ct);
                    return "/api/queue?sort=severity&limit=50" + (deepCursor is null ? "" : $"&after={deepCursor}");
                }),
                ("open item (+ audit write, author history)", () => Task.FromResult($"/api/items/{ids[random.Next(ids.Count)]}")),
            };

            Console.WriteLine($"{requests} sequential requests per scenario over HTTP on {address}, after 20 warm-up requests each:");
            Console.WriteLine($"{"scenario",-48} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
            var worstP95 = 0.0;
            foreach (var (name, url) in scenarios)
            {
                for (var i = 0; i < 20; i++) await GetAsync(client, await url(), ct);
                var times = new List<double>(requests);
                for (var i = 0; i < requests; i++)
                {
                    var u = await url();
                    var t = Stopwatch.GetTimestamp();
                    await GetAsync(client, u, ct);
                    times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                times.Sort();
                var p95 = Pct(times, 0.95);
                worstP95 = Math.Max(worstP95, p95);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} {Pct(times, 0.50),8:F2} {p95,8:F2} {Pct(times, 0.99),8:F2} {times[^1],8:F2}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst p95 {worstP95:F2} ms (target < 100 ms): {(worstP95 < 100 ? "PASS" : "FAIL")}"));
            await app.StopAsync(CancellationToken.None);
            return worstP95 < 100 ? 0 : 1;
        }
        finally
        {
            if (scratch is not null)
            {
                await scratch.DisposeAsync();
                if (keep)
                    Console.WriteLine($"kept database {scratch.Name}");
            }
            if (sqlitePath is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                if (keep)
                    Console.WriteLine($"kept database {sqlitePath}");
                else
                    foreach (var f in new[] { sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm" })
                        File.Delete(f);
            }
        }
    }

    /// <summary>
    /// Posts as the worker leaves them: a record accepted by <see cref="PostIntake"/>, a quarantine decision whose hit
    /// lies on the term in the classified text (title, newline, body), a model score, the evidence snapshot and its
    /// hash, saved in batches by the worker's store (the same code path and SQL as the running worker).
    /// 5,000 authors over 7 days.
    /// </summary>
    private static async Task<List<Guid>> SeedAsync(string provider, string cs, int count, DateTimeOffset now, CancellationToken ct)
    {
        var random = new Random(7);
        IModerationStore store = provider == StorageOptions.Postgres
            ? new PostgresModerationStore(Npgsql.NpgsqlDataSource.Create(cs))
            : new SqliteModerationStore(cs);
        var ids = new List<Guid>(count);
        var batch = new List<ModeratedPost>(1000);
        var intake = new IntakeOptions { RetentionDays = 180 };
        for (var i = 0; i < count; i++)
        {
            var platform = Platforms[i % Platforms.Length];
            var contentId = "bench-" + i.ToString(CultureInfo.InvariantCulture);
            var (category, subLabel, term, maxSeverity) = Held[random.Next(Held.Length)];
            var severity = random.Next(1, maxSeverity + 1);
            var created = now.AddSeconds(-random.Next(0, 7 * 24 * 3600));
            var title = random.Next(3) == 0 ? null : "帖子 " + i.ToString(CultureInfo.InvariantCulture);
            var body = Filler[random.Next(Filler.Length)] + term + "，" + string.Concat(Enumerable.Range(0, random.Next(1, 8)).Select(_ => Filler[random.Next(Filler.Length)]))
                       + new string('。', random.Next(1, 5));
            var record = PostIntake.Accept(new ContentPublished
            {
                Platform = platform, ContentId = contentId, ServiceType = ServiceTypes.All[random.Next(ServiceTypes.All.Count)],
                AuthorId = "author-" + random.Next(5000).ToString(CultureInfo.InvariantCulture), Title = title, Body = body,
                PublishedAt = created.AddSeconds(-random.Next(1, 30)), SourceIp = $"198.51.100.{random.Next(1, 255)}", SourcePort = random.Next(1024, 65536),
            }, intake, created);
            var start = record.Text.IndexOf(term, StringComparison.Ordinal);
            var label = subLabel == "-" ? null : subLabel;
            var score = Math.Round(random.NextDouble() * 0.6, 4);
            var decision = new ModerationDecision(
                DeterministicIds.Decision(platform, contentId, 1), ModerationActions.Quarantine, [category],
                [new CategoryScore(category, label, score, ClassifierKinds.Model)],
                [new KeywordHit(term, category, label, severity, start, start + term.Length, term)],
                [string.Create(CultureInfo.InvariantCulture, $"{category}: keyword '{term}' severity {severity} -> quarantine")],
                "lex-benchmark", "model-benchmark", "2026-11-29.1", created);
            var (json, sha) = EvidenceSnapshot.Create(record, decision);
            batch.Add(new ModeratedPost(record, decision, json, sha, created.AddHours(24)));
            ids.Add(decision.DecisionId);
            if (batch.Count == batch.Capacity || i == count - 1)
            {
                await store.SaveAsync(batch, ct);
                batch.Clear();
            }
        }
        (store as IDisposable)?.Dispose();
        return ids;
    }

    private static async Task<string?> DeepCursorAsync(HttpClient client, int pages, CancellationToken ct)
    {
        string? cursor = null;
        for (var i = 0; i < pages; i++)
        {
            var json = await GetAsync(client, "/api/queue?sort=severity&limit=50" + (cursor is null ? "" : "&after=" + cursor), ct);
            using var doc = JsonDocument.Parse(json);
            cursor = doc.RootElement.GetProperty("nextCursor").GetString() ?? cursor;
        }
        return cursor;
    }

    private static async Task<string> GetAsync(HttpClient client, string url, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static double Pct(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
