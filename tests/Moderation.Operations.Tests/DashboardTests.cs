extern alias review;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Pipeline;
using Moderation.Operations.Tests.Infrastructure;
using Moderation.Review.Auth;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Health;
using Moderation.Worker;
using Moderation.Pipeline.Observability;

namespace Moderation.Operations.Tests;

/// <summary>
/// The Grafana dashboard in docker/grafana/dashboards is well-formed, and every metric its queries use is one
/// the apps' Prometheus endpoints actually serve: a worker and a review app are run (with an outage, a duplicate
/// and bad input so that every counter has a value), their /metrics scraped, and the names compared.
/// </summary>
[Collection(ScratchCollection.Name)]
public sealed partial class DashboardTests(ScratchServices services, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string DashboardPath = Path.Combine(AppContext.BaseDirectory, "dashboards", "moderation.json");

    [GeneratedRegex(@"\bmoderation_[a-z0-9_]+")]
    private static partial Regex MetricName();

    private static List<(string Panel, string Expr)> Queries()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        return doc.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)))
            .ToList();
    }

    [Fact]
    public void The_dashboard_is_well_formed_with_a_prometheus_query_on_every_panel()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = doc.RootElement;
        Assert.Equal("moderation-overview", root.GetProperty("uid").GetString());
        Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 36);
        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var p in panels)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("title").GetString()));
            Assert.Equal("prometheus", p.GetProperty("datasource").GetProperty("uid").GetString());
            var grid = p.GetProperty("gridPos");
            Assert.InRange(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32(), 1, 24);
            var targets = p.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.Matches(MetricName(), t.GetProperty("expr").GetString()!));
            Assert.Equal(targets.Count, targets.Select(t => t.GetProperty("refId").GetString()).Distinct().Count());
        }
        // Balanced brackets in every query (a cheap guard against a broken edit; Prometheus parses the rest).
        foreach (var (panel, expr) in Queries())
            Assert.True(expr.Count(c => c == '(') == expr.Count(c => c == ')') && expr.Count(c => c == '{') == expr.Count(c => c == '}') && expr.Count(c => c == '[') == expr.Count(c => c == ']'), $"{panel}: {expr}");
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_served_by_the_worker_or_the_review_app()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"dash-{run}.content-published";
        var db = await services.CreateDatabaseAsync("dash");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "RabbitMq",
            ["Moderation:Bus:Host"] = "127.0.0.1",
            ["Moderation:Bus:Port"] = services.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["Moderation:Bus:IntakeQueue"] = queue,
            ["Moderation:Bus:TakedownCompletedQueue"] = $"dash-{run}.takedown-completed",
            ["Moderation:Storage:Provider"] = "Postgres",
            ["Moderation:Storage:ConnectionString"] = db,
            ["Moderation:Health:Urls"] = "http://127.0.0.1:0",
            // Short, so that the test sees a post returned to the queue after an outage.
            ["Moderation:Resilience:ProbeInterval"] = "00:00:01",
            ["Moderation:Resilience:MaxHold"] = "00:00:03",
        });
        builder.AddModerationServiceDefaults("moderation-worker", [WorkerMetrics.MeterName], [WorkerMetrics.MeterName]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddModerationWorker(builder.Configuration);
        using var worker = builder.Build();
        await worker.StartAsync();
        try
        {
            var listener = worker.Services.GetServices<IHostedService>().OfType<HealthListener>().Single();
            using var http = new HttpClient { BaseAddress = new Uri(listener.Addresses[0]) };

            // Decisions of every kind, a rejection, a duplicate (the same post published again, fresh).
            await Posts.PublishAsync(services.Broker(), queue,
            [
                ($"{run}-1", Posts.Json(run, "p-1")),
                ($"{run}-2", Posts.Json(run, "p-2", "本店长期出售冰毒，价格优惠，加微信详谈。")),
                ($"{run}-3", Posts.Json(run, "p-3", "你这个傻逼，什么都不懂还到处乱说。")),
                ($"{run}-bad", "{\"platform\":"u8.ToArray()),
            ]);
            await Wait.UntilAsync(async () => await StartupTests.CountAsync(db, run) == 3 && await services.DepthAsync(queue + "_error") == 1, TimeSpan.FromSeconds(30), "three decisions and one rejection");
            await Posts.PublishAsync(services.Broker(), queue, [($"{run}-1-again", Posts.Json(run, "p-1"))]);
            await Wait.UntilAsync(async () => (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("moderation_duplicates_total", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the duplicate counted");

            // An outage long enough for retries and for a held post to be returned to the queue.
            await services.StopDatabaseAsync();
            try
            {
                await Posts.PublishAsync(services.Broker(), queue, [($"{run}-4", Posts.Json(run, "p-4"))]);
                await Wait.UntilAsync(async () => (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("moderation_intake_returned_total", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a held post returned");
            }
            finally
            {
                await services.StartDatabaseAsync();
            }
            await Wait.UntilAsync(async () => await StartupTests.CountAsync(db, run) == 4, TimeSpan.FromSeconds(30), "the post of the outage recorded");

            var served = Names(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

            await using var review = new WebApplicationFactory<review::Program>().WithWebHostBuilder(web =>
            {
                web.UseEnvironment("Testing");
                web.UseSetting("Moderation:Storage:Provider", "Postgres");
                web.UseSetting("ConnectionStrings:Moderation", db);
                web.UseSetting("Moderation:Bus:Transport", "RabbitMq");
                web.UseSetting("Moderation:Bus:Host", "127.0.0.1");
                web.UseSetting("Moderation:Bus:Port", services.RabbitPort.ToString(CultureInfo.InvariantCulture));
                web.UseSetting("Moderation:Review:ApiKeys:0:Name", "ops");
                web.UseSetting("Moderation:Review:ApiKeys:0:KeySha256", ReviewerDirectory.HashApiKey("ops-key"));
                web.UseSetting("Moderation:Review:ApiKeys:0:Roles:0", ReviewRoles.Admin);
            });
            using var reviewHttp = review.CreateClient();
            served.UnionWith(Names(await reviewHttp.GetStringAsync(new Uri(HealthDefaults.MetricsPath, UriKind.Relative))));

            var used = Queries().SelectMany(q => MetricName().Matches(q.Expr).Select(m => (q.Panel, Name: m.Value))).ToList();
            output.WriteLine($"{used.Select(u => u.Name).Distinct().Count()} metric names used by the dashboard, {served.Count(s => s.StartsWith("moderation_", StringComparison.Ordinal))} moderation_* names served");
            var missing = used.Where(u => !served.Contains(u.Name)).Select(u => $"{u.Panel}: {u.Name}").Distinct().ToList();
            Assert.True(missing.Count == 0, "queried but not served:\n" + string.Join("\n", missing) + "\nserved: " + string.Join(", ", served.Where(s => s.StartsWith("moderation", StringComparison.Ordinal)).Order(StringComparer.Ordinal)));
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    /// <summary>Metric names of a Prometheus text exposition (the part before the labels or the value).</summary>
    private static HashSet<string> Names(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet(StringComparer.Ordinal);
}
