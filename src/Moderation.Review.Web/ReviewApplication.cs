using Moderation.Review.Api;
using Moderation.Review.Auth;
using Moderation.Review.Compliance;
using Moderation.Review.Data;
using Moderation.Review.Messaging;
using Moderation.Review.Operations;
using Moderation.ServiceDefaults.Health;
using OpenTelemetry.Metrics;

namespace Moderation.Review;

/// <summary>
/// The whole review app in two calls, so every host composes it the same way: the review executable, its
/// benchmark, the worker's demo, and the tests.
/// </summary>
public static class ReviewApplication
{
    public static WebApplicationBuilder AddReviewApp(this WebApplicationBuilder builder)
    {
        builder.AddReviewOptions();
        builder.Services.AddReviewDatabase(builder.Configuration);
        builder.Services.AddReviewSecurity();
        builder.AddReviewMessaging();
        builder.Services.AddReviewApi();
        builder.Services.AddComplianceApi(builder.Configuration);
        builder.Services.AddReviewBanks(builder.Configuration);
        builder.AddComplianceDesk();
        // Start-up that waits for the database (and broker) and migrates as a step, health checks, queue metrics.
        builder.Services.AddReviewOperations(builder.Configuration);
        return builder;
    }

    public static WebApplication UseReviewApp(this WebApplication app)
    {
        app.UseReviewSecurity();
        app.MapReviewApi();
        app.MapComplianceApi();
        app.MapBankApi();
        app.MapComplianceDesk();
        app.MapModerationHealthEndpoints(app.Services.GetService<MeterProvider>());
        return app;
    }
}
