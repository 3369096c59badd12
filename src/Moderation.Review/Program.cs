using Moderation.Review;
using Moderation.Review.Api;
using Moderation.Review.Auth;
using Moderation.Review.Data;
using Moderation.Review.Messaging;
using Moderation.Review.Benchmark;
using Moderation.Review.Operations;
using Moderation.ServiceDefaults;
using Moderation.ServiceDefaults.Health;
using Moderation.ServiceDefaults.Startup;
using OpenTelemetry.Metrics;

// Hidden modes for operators: hash a password or an API key for configuration, run the review benchmark.
if (await ReviewTools.RunAsync(args) is { } exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.AddModerationServiceDefaults("moderation-review", meters: [ReviewMetrics.MeterName], activitySources: []);
builder.AddReviewOptions();
builder.Services.AddReviewDatabase();
builder.Services.AddReviewSecurity();
builder.AddReviewMessaging();
builder.Services.AddReviewApi();
builder.Services.AddReviewOperations(builder.Configuration);

var app = builder.Build();
app.UseReviewSecurity();
app.MapReviewApi();
app.MapModerationHealthEndpoints(app.Services.GetService<MeterProvider>());
// Checks options, waits (boundedly) for PostgreSQL and RabbitMQ, applies migrations, then serves. A failure on the
// way is one log line and an exit code (docs/operations.md).
return await app.RunModerationAsync();

/// <summary>Public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
