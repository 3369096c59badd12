using Microsoft.Extensions.Configuration;
using Moderation.Storage;

namespace Moderation.Worker;

/// <summary>`migrate`: applies pending migrations to the configured database, for deployments that migrate before rolling workers.</summary>
public static class MigrateCommand
{
    public static int Run(string[] args)
    {
        var config = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = config.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var cs = options.ConnectionString ?? config.GetConnectionString("Moderation");
        if (options.Provider == "Postgres")
            DatabaseMigrator.ApplyPostgres(cs ?? throw new InvalidOperationException("No PostgreSQL connection string configured."));
        else
            DatabaseMigrator.ApplySqlite(cs ?? StorageOptions.DefaultSqlite);
        Console.WriteLine($"Migrations applied ({options.Provider}).");
        return 0;
    }
}
