using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Moderation.Storage;

namespace Moderation.Worker;

/// <summary>`migrate`: applies pending migrations to the configured database, for deployments that migrate before rolling workers.</summary>
public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending SQL migrations to the configured database (Moderation:Storage:*) and exit.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parse => WorkerCommandLine.Settings(parse, out var settings) ?? Run(settings));
        return command;
    }

    /// <summary>Applies the migrations for configuration given as --Key=Value settings (over appsettings.json and the environment).</summary>
    public static int Run(string[] settings)
    {
        var config = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
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
