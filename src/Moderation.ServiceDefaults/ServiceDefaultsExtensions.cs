using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moderation.ServiceDefaults.Health;
using Moderation.ServiceDefaults.Logging;
using Moderation.ServiceDefaults.Messaging;
using Moderation.ServiceDefaults.Startup;
using Moderation.ServiceDefaults.Telemetry;

namespace Moderation.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What the worker and the review app share: console logs (JSON outside Development), OpenTelemetry metrics,
    /// traces and logs, the liveness check, the start-up sequence (wait for dependencies, then start-up steps),
    /// a bounded stop, and the refusal of an in-memory bus outside Development. Run the host with
    /// <see cref="ModerationHost.RunModerationAsync"/> so start-up failures are one line and an exit code.
    /// </summary>
    public static TBuilder AddModerationServiceDefaults<TBuilder>(this TBuilder builder, string serviceName, string[] meters, string[] activitySources)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddModerationLogging();
        builder.AddModerationTelemetry(serviceName, meters, activitySources);
        builder.Services.AddModerationHealthChecks();
        builder.Services.AddStartupSequence();
        builder.Services.AddOptions<InMemoryBusGuard.Settings>().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<InMemoryBusGuard.Settings>, InMemoryBusGuard>();
        builder.Services.AddOptions<LoggingFormatSetting>().Validate<Microsoft.Extensions.Configuration.IConfiguration>(
            (_, config) => LoggingDefaults.IsValidFormat(config[LoggingDefaults.FormatKey]), $"{LoggingDefaults.FormatKey} must be json or text.").ValidateOnStart();
        return builder;
    }

    /// <summary>Placeholder options type that carries the logging-format validation.</summary>
    public sealed class LoggingFormatSetting;
}
