using Microsoft.Extensions.Hosting;
using Moderation.Pipeline;
using Moderation.Worker;
using Moderation.Worker.Demo;

// `demo`: the embedded default end to end (in-memory bus, SQLite), fed the bundled samples.
// `migrate`: apply database migrations and exit. Anything else: run the worker.
if (args.Length > 0 && args[0] == "demo")
    return await DemoRunner.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "migrate")
    return MigrateCommand.Run(args[1..]);

// appsettings.json sits beside the binary; `dotnet run --project` would otherwise look in the caller's directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddModerationWorker(builder.Configuration);
await builder.Build().RunAsync();
return 0;
