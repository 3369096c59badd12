using Microsoft.Extensions.Options;
using Moderation.Storage;
using Npgsql;

namespace Moderation.Review.Data;

public static class ReviewDatabase
{
    public const string ConnectionName = "Moderation";

    public static IServiceCollection AddReviewDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is required: the review API works on the PostgreSQL store.");
            return NpgsqlDataSource.Create(connectionString);
        });
        services.AddSingleton<AuditLog>();
        services.AddSingleton<QueueQueries>();
        services.AddSingleton<ItemQueries>();
        services.AddSingleton<ReviewCommands>();
        services.AddSingleton<TrainingExport>();
        return services;
    }

    public static WebApplication UseReviewDatabaseMigration(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ReviewOptions>>().Value.MigrateOnStart)
            // From configuration: NpgsqlDataSource.ConnectionString has the password stripped.
            DatabaseMigrator.ApplyPostgres(app.Configuration.GetConnectionString(ConnectionName)!);
        return app;
    }
}
