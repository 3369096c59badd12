using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moderation.ServiceDefaults.Startup;

/// <summary>
/// Waits, boundedly, for every <see cref="IDependencyProbe"/>, then runs every <see cref="StartupStep"/> in
/// registration order. Runs once per process: <see cref="ModerationHost.RunModerationAsync"/> calls it before the
/// host starts (so a failure is one line, not a host crash), and <see cref="StartupSequenceService"/> calls it as
/// the first hosted service for hosts started some other way (tests, the demo), where it is then a no-op.
/// </summary>
public sealed class StartupSequence(
    IServiceProvider services,
    IEnumerable<IDependencyProbe> probes,
    IEnumerable<StartupStep> steps,
    IOptions<StartupOptions> options,
    TimeProvider time,
    ILogger<StartupSequence> log)
{
    private readonly Lock _gate = new();
    private Task? _run;

    public Task RunAsync(CancellationToken ct)
    {
        lock (_gate)
            return _run ??= RunOnceAsync(ct);
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var deadline = time.GetUtcNow() + o.DependencyTimeout;
        foreach (var probe in probes)
            await WaitAsync(probe.Describe(), () => probe.CheckAsync(ct), deadline, o, isDependency: true, ct);
        foreach (var step in steps)
            await WaitAsync(step.Name, () => step.RunAsync(services, ct), deadline, o, isDependency: false, ct);
    }

    private async Task WaitAsync(string what, Func<Task> attempt, DateTimeOffset deadline, StartupOptions o, bool isDependency, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        string? firstReason = null;
        while (true)
        {
            string reason;
            try
            {
                await attempt();
                if (firstReason is not null)
                    log.LogInformation("{What}: ready after {Seconds:F0} s.", what, (time.GetUtcNow() - started).TotalSeconds);
                return;
            }
            catch (DependencyNotReadyException ex)
            {
                reason = ex.Message;
            }
            catch (Exception ex) when (isDependency && ex is not OperationCanceledException)
            {
                reason = DependencyProbeExtensions.Reason(ex);
            }

            if (firstReason is null)
            {
                firstReason = reason;
                log.LogWarning("{What} is not available: {Reason}. Retrying every {Interval:F0} s for up to {Timeout:F0} s ({Setting}).",
                    what, reason, o.RetryInterval.TotalSeconds, o.DependencyTimeout.TotalSeconds, StartupOptions.Section + ":DependencyTimeout");
            }
            if (time.GetUtcNow() + o.RetryInterval > deadline)
                throw new StartupFailedException(
                    $"{what} is still not available after {(time.GetUtcNow() - started).TotalSeconds:F0} s: {reason}. Exiting with code {ExitCodes.DependencyUnavailable}.",
                    ExitCodes.DependencyUnavailable);
            await Task.Delay(o.RetryInterval, time, ct);
        }
    }
}

/// <summary>Runs the <see cref="StartupSequence"/> before any later hosted service (the bus) starts.</summary>
public sealed class StartupSequenceService(StartupSequence sequence) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => sequence.RunAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StartupServiceCollectionExtensions
{
    /// <summary>
    /// Registers the start-up sequence. Call it before anything that registers a hosted service which needs the
    /// dependencies (MassTransit): hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddStartupSequence(this IServiceCollection services)
    {
        services.AddOptions<StartupOptions>().BindConfiguration(StartupOptions.Section)
            .Validate(o => o.DependencyTimeout > TimeSpan.Zero && o.RetryInterval > TimeSpan.Zero && o.ShutdownTimeout > TimeSpan.FromSeconds(5),
                "Moderation:Startup:DependencyTimeout and RetryInterval must be positive and ShutdownTimeout longer than 5 s.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StartupSequence>();
        services.AddHostedService<StartupSequenceService>();
        services.AddOptions<Microsoft.Extensions.Hosting.HostOptions>().Configure<IOptions<StartupOptions>>((host, startup) => host.ShutdownTimeout = startup.Value.ShutdownTimeout);
        return services;
    }

    public static IServiceCollection AddDependencyProbe(this IServiceCollection services, Func<IServiceProvider, IDependencyProbe> probe)
    {
        services.AddSingleton(probe);
        return services;
    }

    public static IServiceCollection AddStartupStep(this IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task> run)
    {
        services.AddSingleton(new StartupStep(name, run));
        return services;
    }
}
