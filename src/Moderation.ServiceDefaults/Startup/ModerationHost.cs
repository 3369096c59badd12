using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moderation.ServiceDefaults.Startup;

public static class ModerationHost
{
    /// <summary>
    /// Runs a Moderation process the way an operator expects: options are checked, every dependency is waited
    /// for (boundedly), start-up steps run, then the host runs until stopped. What goes wrong on the way is one
    /// clear log line and an exit code (2 configuration, 3 dependency unavailable), never a stack trace; a stop
    /// that hangs past <see cref="StartupOptions.ShutdownTimeout"/> ends the process anyway.
    /// <para>When the host is not this process's own (a test's WebApplicationFactory runs the entry point
    /// inside the test runner) nothing is caught, so the test sees the exception.</para>
    /// </summary>
    public static async Task<int> RunModerationAsync(this IHost host)
    {
        var services = host.Services;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Moderation.Startup");
        var ownProcess = IsOwnProcess(services.GetRequiredService<IHostEnvironment>());
        try
        {
            using (var stopping = new CancellationTokenSource())
            using (ownProcess ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); }) : null)
            using (ownProcess ? PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); }) : null)
            {
                services.GetService<IStartupValidator>()?.Validate();
                try
                {
                    await services.GetRequiredService<StartupSequence>().RunAsync(stopping.Token);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    log.LogInformation("Stopped while waiting for dependencies.");
                    return 0;
                }
            }

            if (ownProcess)
                EndProcessIfStopHangs(services, log);
            await host.RunAsync();
            return Environment.ExitCode;
        }
        catch (Exception ex) when (ownProcess && Explain(ex) is { } failure)
        {
            foreach (var line in failure.Lines)
                log.LogCritical("{Reason}", line);
            return failure.ExitCode;
        }
    }

    private static bool IsOwnProcess(IHostEnvironment environment) =>
        string.Equals(Assembly.GetEntryAssembly()?.GetName().Name, environment.ApplicationName, StringComparison.Ordinal);

    private sealed record Failure(IReadOnlyList<string> Lines, int ExitCode);

    /// <summary>The failures that have a one-line explanation; anything else is a bug and keeps its stack trace.</summary>
    private static Failure? Explain(Exception ex) => ex switch
    {
        OptionsValidationException o => new(o.Failures.Select(f => "Invalid configuration: " + f).ToList(), ExitCodes.ConfigurationInvalid),
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            new(a.InnerExceptions.Cast<OptionsValidationException>().SelectMany(o => o.Failures).Select(f => "Invalid configuration: " + f).ToList(), ExitCodes.ConfigurationInvalid),
        StartupFailedException s => new([s.Message], s.ExitCode),
        _ => null,
    };

    /// <summary>
    /// The host's own stop is bounded by <see cref="HostOptions.ShutdownTimeout"/>, but a hosted service that
    /// ignores its token could still hold the process. After that timeout and a short grace the process ends
    /// with the exit code it already had, so a supervisor's SIGTERM always works.
    /// </summary>
    private static void EndProcessIfStopHangs(IServiceProvider services, ILogger log)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var timeout = services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout + TimeSpan.FromSeconds(5);
        lifetime.ApplicationStopping.Register(() =>
        {
            var timer = new Timer(_ =>
            {
                log.LogCritical("The process did not stop within {Seconds:F0} s; ending it.", timeout.TotalSeconds);
                Environment.Exit(Environment.ExitCode == 0 ? 1 : Environment.ExitCode);
            }, null, timeout, Timeout.InfiniteTimeSpan);
            lifetime.ApplicationStopped.Register(() => timer.Dispose());
        });
    }
}
