using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Review;

namespace Moderation.Worker.Demo;

/// <summary>
/// `demo --review`: after the demo, the moderators' page on the demo's own SQLite database, so the posts the demo
/// quarantined wait in the queue. The real review app (Moderation.Review.Web), in Development with its dev/dev
/// user, on the loopback interface only. Serves until Ctrl-C or SIGTERM.
/// </summary>
internal static class DemoReviewPage
{
    public static async Task<int> RunAsync(string databasePath, int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Storage:Provider"] = "Sqlite",
            ["Moderation:Storage:ConnectionString"] = $"Data Source={databasePath}",
            ["Moderation:Bus:Transport"] = "InMemory",
            // Quiet, like the demo: the worker's appsettings.json would log every request.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Critical);
        // The dev login is printed below, in plain words.
        builder.Logging.AddFilter("Moderation.Review.Auth.ReviewerDirectory", LogLevel.Error);
        builder.AddReviewApp();
        await using var app = builder.Build();
        app.UseReviewApp();
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"The review page could not listen on 127.0.0.1:{port} ({e.Message}). Pick another with --port, or --port 0 for any free one.");
            return 2;
        }

        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        // Announce the page only once it answers, so whoever reads the line can open it straight away.
        using (var client = new HttpClient { BaseAddress = address })
        using (var page = await client.GetAsync(new Uri("/", UriKind.Relative), ct))
        {
            if (page.StatusCode != HttpStatusCode.OK)
            {
                await Console.Error.WriteLineAsync($"The review page at {address} answered {(int)page.StatusCode}.");
                return 1;
            }
        }
        Console.WriteLine();
        Console.WriteLine($"review page: {address}");
        Console.WriteLine("log in as dev / dev (Development only: every role). The demo's quarantined posts are in the queue. Ctrl-C stops.");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }
}
