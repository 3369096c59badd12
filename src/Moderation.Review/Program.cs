using System.CommandLine;
using Moderation.Review;
using Moderation.Review.Operations;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Startup;

// No command: run the app. Tools: hash-password, new-api-key, hash-api-key, benchmark (see --help).
// Ctrl-C and exceptions are left to the host: WebApplicationFactory (tests) stops the entry point with one.
return await ReviewCommandLine.Create(RunAsync).Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });

static async Task<int> RunAsync(string[] settings, CancellationToken ct)
{
    var builder = WebApplication.CreateBuilder(settings);
    builder.AddModerationServiceDefaults("moderation-review", meters: [ReviewMetrics.MeterName, Moderation.Review.Compliance.ComplianceMetrics.MeterName], activitySources: []);
    builder.AddReviewApp();
    var app = builder.Build();
    app.UseReviewApp();
    // Checks options, waits (boundedly) for the database and RabbitMQ, applies migrations, then serves. A failure on
    // the way is one log line and an exit code (docs/operations.md).
    return await app.RunModerationAsync();
}

/// <summary>Public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
