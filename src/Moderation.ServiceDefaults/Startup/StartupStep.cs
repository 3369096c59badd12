namespace Moderation.ServiceDefaults.Startup;

/// <summary>
/// Work that must be done after every dependency answers and before the process takes traffic (apply
/// migrations, load the lexicon and the model). Throw <see cref="DependencyNotReadyException"/> to be tried
/// again until <see cref="StartupOptions.DependencyTimeout"/>, <see cref="StartupFailedException"/> to stop now.
/// </summary>
public sealed record StartupStep(string Name, Func<IServiceProvider, CancellationToken, Task> RunAsync);

/// <summary>Start-up cannot go on; <see cref="Exception.Message"/> is the one line an operator reads.</summary>
public sealed class StartupFailedException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>See <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>Not yet: the step is retried until the start-up deadline (e.g. the schema is not migrated yet).</summary>
public sealed class DependencyNotReadyException(string message) : Exception(message);

public static class ExitCodes
{
    public const int ConfigurationInvalid = 2;
    public const int DependencyUnavailable = 3;

    /// <summary>A start-up step failed for good (e.g. a migration script errored).</summary>
    public const int StartupStepFailed = 4;

    /// <summary>EX_TEMPFAIL: the watchdog gave up on a stuck consumer; the supervisor should start the process again.</summary>
    public const int RestartRequested = 75;
}
