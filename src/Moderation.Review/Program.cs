using System.CommandLine;
using Moderation.Review;

// No command: run the app. Tools: hash-password, new-api-key, hash-api-key, benchmark (see --help).
// Ctrl-C and exceptions are left to the host: WebApplicationFactory (tests) stops the entry point with one.
return await ReviewCommandLine.Create(RunAsync).Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });

static async Task<int> RunAsync(string[] settings, CancellationToken ct)
{
    var builder = WebApplication.CreateBuilder(settings);
    builder.AddReviewApp();
    var app = builder.Build();
    app.UseReviewApp();
    await app.RunAsync(ct);
    return 0;
}

/// <summary>Public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
