using Microsoft.Extensions.Hosting;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Startup;
using Moderation.Worker;
using Moderation.Worker.Demo;
using Moderation.Worker.Observability;

// `demo`: the embedded default end to end (in-memory bus, SQLite), fed the bundled samples.
// `migrate`: apply database migrations and exit. Anything else: run the worker.
if (args.Length > 0 && args[0] == "demo")
    return await DemoRunner.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "migrate")
    return MigrateCommand.Run(args[1..]);

// appsettings.json sits beside the binary; `dotnet run --project` would otherwise look in the caller's directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddModerationServiceDefaults("moderation-worker", meters: [WorkerMetrics.MeterName], activitySources: [WorkerMetrics.MeterName]);
builder.Services.AddModerationWorker(builder.Configuration);
using var host = builder.Build();
// Checks options, waits (boundedly) for PostgreSQL/SQLite and RabbitMQ, applies or checks migrations, loads the
// lexicon and model, then runs. A failure on the way is one log line and an exit code (docs/operations.md).
return await host.RunModerationAsync();
