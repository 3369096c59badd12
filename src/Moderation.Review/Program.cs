using Moderation.Review;
using Moderation.Review.Api;
using Moderation.Review.Auth;
using Moderation.Review.Data;
using Moderation.Review.Messaging;
using Moderation.Review.Benchmark;

// Hidden modes for operators: hash a password or an API key for configuration, run the review benchmark.
if (await ReviewTools.RunAsync(args) is { } exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(args);
builder.AddReviewOptions();
builder.Services.AddReviewDatabase();
builder.Services.AddReviewSecurity();
builder.AddReviewMessaging();
builder.Services.AddReviewApi();

var app = builder.Build();
app.UseReviewDatabaseMigration();
app.UseReviewSecurity();
app.MapReviewApi();
await app.RunAsync();
return 0;

/// <summary>Public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
