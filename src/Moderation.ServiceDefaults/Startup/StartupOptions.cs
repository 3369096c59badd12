namespace Moderation.ServiceDefaults.Startup;

/// <summary>Configuration section "Moderation:Startup": how long start-up waits for what it needs.</summary>
public sealed class StartupOptions
{
    public const string Section = "Moderation:Startup";

    /// <summary>How long start-up waits for a dependency that is down (or a schema not yet migrated) before exiting with code 3.</summary>
    public TimeSpan DependencyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a missing dependency is tried again while start-up waits.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a stop (SIGTERM) may take; in-flight work is cancelled and returned before it runs out.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
