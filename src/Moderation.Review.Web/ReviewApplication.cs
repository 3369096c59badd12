using Moderation.Review.Api;
using Moderation.Review.Auth;
using Moderation.Review.Data;
using Moderation.Review.Messaging;

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
        return builder;
    }

    public static WebApplication UseReviewApp(this WebApplication app)
    {
        app.UseReviewDatabaseMigration();
        app.UseReviewSecurity();
        app.MapReviewApi();
        return app;
    }
}
