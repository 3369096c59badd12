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
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            options.ConnectionString = config.GetConnectionString("Moderation") is { Length: > 0 } cs ? cs : null;
        var applied = DatabaseMigrator.Apply(options);
        Console.WriteLine($"{applied} migration(s) applied ({options.Provider}).");
        return 0;
    }
}
