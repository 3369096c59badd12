using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Core.Decisions;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.ServiceDefaults.Health;
using Moderation.ServiceDefaults.Startup;
using Moderation.Storage;
using Moderation.Pipeline.Banks;
using Moderation.Pipeline.Health;
using Moderation.Pipeline.Hosting;
using Moderation.Pipeline.Ledger;
using Moderation.Storage.Ledger;
using Moderation.Pipeline.Messaging;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline.Resilience;
using Moderation.Pipeline.Retention;

namespace Moderation.Pipeline;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// The whole worker: start-up (wait for the store and broker, schema, lexicon and model), options, storage,
    /// classifiers, the decision engine, back-pressure, the bus and its watchdog, health checks, retention.
    /// </summary>
    public static IServiceCollection AddModerationWorker(this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator>? extraConsumers = null)
    {
        services.AddSingleton(TimeProvider.System);
        // First: hosted services start in registration order, and the bus must not start before its dependencies answer.
        services.AddWorkerStartup();

        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero, "Moderation:Retention:Interval must be positive.").ValidateOnStart();

        services.AddModerationStorage(configuration);
        services.AddComplianceStorage(configuration);
        services.AddModerationClassifiers(configuration);
        services.AddContentBanks(configuration); // content banks: loaded and refreshed from the database (Moderation:Banks)
        services.AddSingleton<ModerationEngine>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<PostModerator>();
        services.AddMetrics();
        services.AddSingleton<WorkerMetrics>();
        services.AddOptions<ResilienceOptions>().Bind(configuration.GetSection(ResilienceOptions.Section))
            .Validate(o => o.ProbeInterval > TimeSpan.Zero && o.MaxHold > o.ProbeInterval, "Moderation:Resilience:ProbeInterval must be positive and MaxHold longer.").ValidateOnStart();
        services.AddSingleton<DependencyCircuit>();
        services.AddModerationBus(configuration, extraConsumers);

        services.AddSingleton<ReceiveEndpointStates>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<ReceiveEndpointStates>());
        services.AddOptions<WatchdogOptions>().Bind(configuration.GetSection(WatchdogOptions.Section))
            .Validate(o => o.CheckInterval > TimeSpan.Zero && o.MaxNotConsuming >= o.CheckInterval, "Moderation:Watchdog:CheckInterval must be positive and MaxNotConsuming at least as long.").ValidateOnStart();
        services.AddHostedService<EndpointWatchdog>();

        services.AddModerationHealthChecks()
            .AddDependencyCheck("database", sp => StorageProbe.For(sp.GetRequiredService<IOptions<StorageOptions>>().Value))
            .AddCheck<ReceiveEndpointsHealthCheck>("receive-endpoints", tags: [HealthDefaults.Ready])
            .AddCheck<ClassifiersHealthCheck>("lexicon-and-model", tags: [HealthDefaults.Ready]);
        services.AddHostedService<HealthListener>(); // listens only when Moderation:Health:Urls is set

        services.AddHostedService<RetentionPurgeService>();

        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>();
        services.AddHostedService<LedgerSealService>();
        return services;
    }
}
