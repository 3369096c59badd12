using Microsoft.Extensions.Configuration;

/// <summary>
/// The worker's own configuration (its appsettings.json, copied beside this CLI), optionally with a
/// candidate settings file layered over it, then environment variables: what `replay` and
/// `evaluate-decisions` decide with, so they use the one source of thresholds the worker uses.
/// </summary>
internal static class WorkerSettings
{
    public static IConfigurationRoot Build(string? settingsFile, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false);
        if (settingsFile is not null)
            builder.AddJsonFile(Path.GetFullPath(settingsFile), optional: false);
        builder.AddEnvironmentVariables();
        if (overrides is not null)
            builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }
}
