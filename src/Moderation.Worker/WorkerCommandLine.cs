using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Moderation.Core.Hosting;
using Moderation.Pipeline;
using Moderation.Pipeline.Observability;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Startup;
using Moderation.Worker.Demo;

namespace Moderation.Worker;

/// <summary>
/// The worker's command line. Options the parser does not know are configuration for the host
/// (<c>--Moderation:Bus:Transport=RabbitMq</c>), layered over appsettings.json and the environment.
/// </summary>
public static class WorkerCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("""
            Moderation worker: consumes ContentPublished, records each post, decides pass / quarantine / block and emits the events.
            Without a command it runs the worker. Any configuration key may follow as --Key=Value, e.g.
              Moderation.Worker --Moderation:Bus:Transport=RabbitMq --Moderation:Storage:Provider=Postgres "--Moderation:Storage:ConnectionString=Host=db;..."
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        // `[diagram] <command> …` shows how a command line parses without running it (the docs test uses it).
        root.Directives.Add(new DiagramDirective());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.SetAction(async (parse, ct) =>
        {
            if (Settings(parse, out var settings) is { } error)
                return error;
            // appsettings.json sits beside the binary; `dotnet run --project` would otherwise look in the caller's directory.
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings, ContentRootPath = AppContext.BaseDirectory });
            builder.AddModerationServiceDefaults("moderation-worker", meters: [WorkerMetrics.MeterName], activitySources: [WorkerMetrics.MeterName]);
            builder.Services.AddModerationWorker(builder.Configuration);
            using var host = builder.Build();
            // Checks options, waits (boundedly) for PostgreSQL/SQLite and RabbitMQ, applies or checks migrations, loads the
            // lexicon and model, then runs. A failure on the way is one log line and an exit code (docs/operations.md).
            return await host.RunModerationAsync();
        });
        return root;
    }

    /// <summary>The --Key=Value settings left over by the parser; a non-null result is the exit code of a refusal.</summary>
    internal static int? Settings(ParseResult parse, out string[] settings)
    {
        settings = [.. parse.UnmatchedTokens];
        if (SettingArguments.Check(settings) is not { } problem)
            return null;
        parse.InvocationConfiguration.Error.WriteLine(problem);
        return 2;
    }
}
