using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderation.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModerationStore"/> for the configured provider. Building the store touches no
    /// database: migrations (Moderation:Storage:MigrateOnStart) are a start-up step of the host, which waits for
    /// the database first (see the worker's WorkerStartup).
    /// </summary>
    public static IServiceCollection AddModerationStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o => o.ConnectionString ??= configuration.GetConnectionString("Moderation"))
            .Validate(o => o.Provider is "Sqlite" or "Postgres", "Moderation:Storage:Provider must be Sqlite or Postgres.")
            .Validate(o => o.Provider != "Postgres" || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Moderation:Storage:Provider is Postgres but no connection string is set (Moderation:Storage:ConnectionString or ConnectionStrings:Moderation).")
            .Validate(o => o.ReportDue > TimeSpan.Zero, "Moderation:Storage:ReportDue must be positive.")
            .ValidateOnStart();

        services.AddSingleton<IModerationStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (options.Provider == "Postgres")
                return new PostgresModerationStore(NpgsqlDataSource.Create(options.ConnectionString!));
            return new SqliteModerationStore(options.ConnectionString ?? StorageOptions.DefaultSqlite);
        });
        return services;
    }
}
