using System.Net.Http.Headers;
using System.Net.Http.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Moderation.Review.Auth;
using Npgsql;

namespace Moderation.Review.Tests;

/// <summary>
/// One uniquely named PostgreSQL database and one review app per test class, dropped afterwards. The bus is
/// MassTransit's test harness (in-memory), so published events can be asserted. Unreachable PostgreSQL fails
/// the tests with a clear message; nothing is skipped.
/// </summary>
public class ReviewAppFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery staple";
    public static readonly string ServerConnection =
        Environment.GetEnvironmentVariable("MODERATION_TEST_PG") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Username=postgres;Password=postgres";

    /// <summary>name → roles. Every user has <see cref="Password"/> and an API key "key-{name}".</summary>
    public static readonly Dictionary<string, string[]> Users = new()
    {
        ["mod1"] = [ReviewRoles.Moderator],
        ["mod2"] = [ReviewRoles.Moderator],
        ["sup"] = [ReviewRoles.Supervisor],
        ["aud"] = [ReviewRoles.Auditor],
        ["admin"] = [ReviewRoles.Admin],
        ["comp"] = [ReviewRoles.Compliance],
    };

    private static readonly Lazy<Dictionary<string, string>> Hashes = new(() =>
        Users.Keys.ToDictionary(u => u, u => ReviewerDirectory.HashPassword(u, Password)));

    public string DatabaseName { get; } = "review_test_" + Guid.NewGuid().ToString("N");
    public string ConnectionString { get; private set; } = "";
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public NpgsqlDataSource Db { get; private set; } = null!;
    public virtual bool UseKestrel => false;

    /// <summary>Extra settings for a fixture variant.</summary>
    protected virtual void Configure(IWebHostBuilder web)
    {
    }

    public ITestHarness Harness => Factory.Services.GetRequiredService<ITestHarness>();

    public async Task InitializeAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnection) { Database = DatabaseName };
        ConnectionString = builder.ConnectionString;
        try
        {
            await using var admin = new NpgsqlConnection(ServerConnection);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with MODERATION_TEST_PG='{ServerConnection}': {ex.Message}. " +
                "Start it (pg_ctlcluster 15 main start) or point MODERATION_TEST_PG at a server.", ex);
        }

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("Moderation:Storage:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Moderation", ConnectionString);
            // The in-memory test harness is deliberate: outside Development the app refuses it unless told so.
            web.UseSetting("Moderation:Bus:Transport", "InMemory");
            web.UseSetting("Moderation:Bus:AllowInMemory", "true");
            web.UseSetting("Moderation:Review:OutboxSweepInterval", "00:00:01");
            var i = 0;
            foreach (var (name, roles) in Users)
            {
                web.UseSetting($"Moderation:Review:Users:{i}:Name", name);
                web.UseSetting($"Moderation:Review:Users:{i}:PasswordHash", Hashes.Value[name]);
                for (var r = 0; r < roles.Length; r++) web.UseSetting($"Moderation:Review:Users:{i}:Roles:{r}", roles[r]);
                web.UseSetting($"Moderation:Review:ApiKeys:{i}:Name", name + "-api");
                web.UseSetting($"Moderation:Review:ApiKeys:{i}:KeySha256", ReviewerDirectory.HashApiKey("key-" + name));
                for (var r = 0; r < roles.Length; r++) web.UseSetting($"Moderation:Review:ApiKeys:{i}:Roles:{r}", roles[r]);
                i++;
            }
            Configure(web);
            web.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Time);
                services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteIpStartupFilter>();
                services.AddMassTransitTestHarness(x => x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(10)));
            });
        });
        if (UseKestrel)
            Factory.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0)); // a free port: UseKestrel(0) binds the default 5000, which parallel test runs share
        Factory.StartServer();
        if (UseKestrel) // clients go to the port Kestrel really bound
            Factory.ClientOptions.BaseAddress = new Uri(Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
        Db = NpgsqlDataSource.Create(ConnectionString);
        Fixtures = new TestData(new Moderation.Storage.PostgresModerationStore(Db), Db, Time);
    }

    public TestData Fixtures { get; private set; } = null!;

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        if (Db is not null) await Db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnection);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>An API client authenticated with the user's API key.</summary>
    public HttpClient ClientFor(string user)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "key-" + user);
        return client;
    }

    /// <summary>A browser-like client: logs in and keeps the session cookie.</summary>
    public async Task<HttpClient> CookieClientFor(string user, bool sendCsrfHeader = true)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name = user, password = Password }) };
        login.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        using var response = await client.SendAsync(login);
        response.EnsureSuccessStatusCode();
        if (sendCsrfHeader) client.DefaultRequestHeaders.Add(SecurityExtensions.CsrfHeader, "1");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}

public sealed class KestrelReviewAppFixture : ReviewAppFixture
{
    public override bool UseKestrel => true;

    /// <summary>The real address Kestrel bound (port 0 → a free port), for the browser.</summary>
    public Uri BaseAddress => new(Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
}

/// <summary>The app behind a reverse proxy it trusts (the network the in-memory requests come from).</summary>
public sealed class TrustedProxyReviewAppFixture : ReviewAppFixture
{
    protected override void Configure(IWebHostBuilder web) => web.UseSetting("Moderation:Review:TrustedProxies:0", "192.0.2.0/24");
}
