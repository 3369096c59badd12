using Moderation.Storage;

namespace Moderation.Review.Data;

/// <summary>
/// The review app's data: the review stores of Moderation.Storage (every SQL statement lives there), on the
/// same database and configuration keys as the worker (Moderation:Storage:Provider, ConnectionString or
/// ConnectionStrings:Moderation): PostgreSQL in production, the SQLite file by default.
/// </summary>
public static class ReviewDatabase
{
    public static IServiceCollection AddReviewDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReviewStorage(configuration);
        services.AddSingleton<TrainingExport>();
        return services;
    }
}
