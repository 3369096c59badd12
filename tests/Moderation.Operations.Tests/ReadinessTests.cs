extern alias review;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Pipeline;
using Moderation.Operations.Tests.Infrastructure;
using Moderation.Review.Auth;
using Moderation.ServiceDefaults.Health;
using Moderation.Worker;
using Npgsql;

namespace Moderation.Operations.Tests;

/// <summary>
/// /health/ready of the worker and of the review app follows a real outage of our own PostgreSQL cluster and
/// RabbitMQ node: unhealthy within 10 s, healthy again after; and the posts published during a database outage
/// are all recorded afterwards, none dead-lettered.
/// </summary>
[Collection(ScratchCollection.Name)]
public sealed class ReadinessTests(ScratchServices services, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Noticed = TimeSpan.FromSeconds(10);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private IHost _worker = null!;
    private WebApplicationFactory<review::Program> _review = null!;
    private HttpClient _workerHttp = null!;
    private HttpClient _reviewHttp = null!;
    private string _db = "";

    private string IntakeQueue => $"ready-{_run}.content-published";

    public async Task InitializeAsync()
    {
        _db = await services.CreateDatabaseAsync("ready");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "RabbitMq",
            ["Moderation:Bus:Host"] = "127.0.0.1",
            ["Moderation:Bus:Port"] = services.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Moderation:Bus:IntakeQueue"] = IntakeQueue,
            ["Moderation:Bus:TakedownCompletedQueue"] = $"ready-{_run}.takedown-completed",
            ["Moderation:Storage:Provider"] = "Postgres",
            ["Moderation:Storage:ConnectionString"] = _db,
            ["Moderation:Retention:Enabled"] = "false",
            ["Moderation:Health:Urls"] = "http://127.0.0.1:0",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddModerationWorker(builder.Configuration);
        _worker = builder.Build();
        await _worker.StartAsync();
        var listener = _worker.Services.GetServices<IHostedService>().OfType<HealthListener>().Single();
        _workerHttp = new HttpClient { BaseAddress = new Uri(listener.Addresses[0]), Timeout = TimeSpan.FromSeconds(8) };

        _review = new WebApplicationFactory<review::Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("Moderation:Storage:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Moderation", _db);
            web.UseSetting("Moderation:Bus:Transport", "RabbitMq");
            web.UseSetting("Moderation:Bus:Host", "127.0.0.1");
            web.UseSetting("Moderation:Bus:Port", services.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Moderation:Review:ApiKeys:0:Name", "ops");
            web.UseSetting("Moderation:Review:ApiKeys:0:KeySha256", ReviewerDirectory.HashApiKey("ops-key"));
            web.UseSetting("Moderation:Review:ApiKeys:0:Roles:0", ReviewRoles.Admin);
        });
        _reviewHttp = _review.CreateClient();
        _reviewHttp.Timeout = TimeSpan.FromSeconds(8);
        await Wait.UntilAsync(BothReadyAsync, TimeSpan.FromSeconds(60), "both apps ready at start");
    }

    public async Task DisposeAsync()
    {
        _workerHttp.Dispose();
        _reviewHttp.Dispose();
        await _review.DisposeAsync();
        await _worker.StopAsync();
        _worker.Dispose();
    }

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(HealthDefaults.ReadyPath, UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> BothReadyAsync() => await ReadyAsync(_workerHttp) && await ReadyAsync(_reviewHttp);

    private async Task<long> RecordsAsync(string platform)
    {
        try
        {
            await using var conn = new NpgsqlConnection(_db);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM post_records WHERE platform = @p", conn);
            cmd.Parameters.AddWithValue("p", platform);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }

    [Fact]
    public async Task A_database_outage_makes_both_apps_unready_within_10_s_holds_the_posts_and_loses_none()
    {
        var platform = $"outage-{_run}";
        await services.StopDatabaseAsync();
        try
        {
            var workerNoticed = await Wait.UntilAsync(async () => !await ReadyAsync(_workerHttp), Noticed, "worker /health/ready unhealthy after the database stopped");
            var reviewNoticed = await Wait.UntilAsync(async () => !await ReadyAsync(_reviewHttp), Noticed, "review /health/ready unhealthy after the database stopped");
            output.WriteLine($"database stopped: worker unready after {workerNoticed.TotalSeconds:F1} s, review app after {reviewNoticed.TotalSeconds:F1} s more");

            // Posts keep arriving during the outage: they must wait, not go to the error queue.
            await Posts.PublishAsync(services.Broker(), IntakeQueue, Enumerable.Range(0, 20).Select(i => ($"{platform}-{i}", Posts.Json(platform, $"p-{i}"))));
            await Wait.UntilAsync(async () => await services.DepthAsync(IntakeQueue) == 0, TimeSpan.FromSeconds(20), "the worker taking the posts");
            // The outage outlasts what the old retry policy allowed (4 retries over 7.6 s, then the error queue).
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await services.StartDatabaseAsync();
        }
        var back = await Wait.UntilAsync(BothReadyAsync, TimeSpan.FromSeconds(30), "both apps ready again after the database came back");
        output.WriteLine($"database started: both ready after {back.TotalSeconds:F1} s");
        await Wait.UntilAsync(async () => await RecordsAsync(platform) == 20, TimeSpan.FromSeconds(30), "all 20 posts of the outage recorded");
        Assert.Equal(0u, await services.DepthAsync(IntakeQueue + "_error"));
    }

    [Fact]
    public async Task A_broker_restart_makes_both_apps_unready_within_10_s_and_ready_again_after()
    {
        await services.StopBrokerAsync();
        try
        {
            var workerNoticed = await Wait.UntilAsync(async () => !await ReadyAsync(_workerHttp), Noticed, "worker /health/ready unhealthy after the broker stopped");
            var reviewNoticed = await Wait.UntilAsync(async () => !await ReadyAsync(_reviewHttp), Noticed, "review /health/ready unhealthy after the broker stopped");
            output.WriteLine($"broker stopped: worker unready after {workerNoticed.TotalSeconds:F1} s, review app after {reviewNoticed.TotalSeconds:F1} s more");
        }
        finally
        {
            await services.StartBrokerAsync();
        }
        var back = await Wait.UntilAsync(BothReadyAsync, TimeSpan.FromSeconds(40), "both apps ready again after the broker restart");
        output.WriteLine($"broker started: both ready after {back.TotalSeconds:F1} s");

        // And the intake endpoint really consumes again: a post published now is recorded.
        var platform = $"after-restart-{_run}";
        await Posts.PublishAsync(services.Broker(), IntakeQueue, [($"{platform}-0", Posts.Json(platform, "p-0"))]);
        await Wait.UntilAsync(async () => await RecordsAsync(platform) == 1, TimeSpan.FromSeconds(30), "a post recorded after the restart");
    }
}
