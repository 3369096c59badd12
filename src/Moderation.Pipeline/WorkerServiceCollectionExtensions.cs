using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Core.Decisions;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Pipeline.Messaging;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline;
using Moderation.Pipeline.Retention;

namespace Moderation.Pipeline;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The whole worker: options, storage, classifiers, the decision engine, the bus, retention.</summary>
    public static IServiceCollection AddModerationWorker(this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator>? extraConsumers = null)
    {
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero, "Moderation:Retention:Interval must be positive.").ValidateOnStart();

        services.AddModerationStorage(configuration);
        services.AddModerationClassifiers(configuration);
        services.AddSingleton<ModerationEngine>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<PostModerator>();
        services.AddMetrics();
        services.AddSingleton<WorkerMetrics>();
        services.AddModerationBus(configuration, extraConsumers);
        services.AddHostedService<RetentionPurgeService>();
        return services;
    }
}
