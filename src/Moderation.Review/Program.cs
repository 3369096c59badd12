using Moderation.Review;
using Moderation.Review.Benchmark;

// Hidden modes for operators: hash a password or an API key for configuration, run the review benchmark.
if (await ReviewTools.RunAsync(args) is { } exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.AddReviewApp();

var app = builder.Build();
app.UseReviewApp();
await app.RunAsync();
return 0;

/// <summary>Public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
