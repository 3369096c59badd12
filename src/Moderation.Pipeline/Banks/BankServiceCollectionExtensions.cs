using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Banks;
using Moderation.Core.Classification;
using Moderation.ServiceDefaults.Health;
using Moderation.Storage;

namespace Moderation.Pipeline.Banks;

public static class BankServiceCollectionExtensions
{
    /// <summary>
    /// Content banks in the worker (Moderation:Banks:Enabled, on by default): the store, the index provider, the
    /// background load and poll (<see cref="BankSync"/>), the classifier and its readiness check.
    /// </summary>
    public static IServiceCollection AddContentBanks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ContentBankOptions>().Bind(configuration.GetSection(ContentBankOptions.Section))
            .Validate(o => o.Problem() is null, "Moderation:Banks: PollInterval must be 100 ms to 1 minute and LoadParallelism 0 or more.")
            .ValidateOnStart();
        if (!configuration.GetSection(ContentBankOptions.Section).GetValue(nameof(ContentBankOptions.Enabled), true))
            return services;
        services.AddBankStorage(configuration);
        services.AddSingleton(_ => new BankIndexProvider(BankIndex.Empty()));
        services.AddSingleton<BankSync>();
        services.AddHostedService(sp => sp.GetRequiredService<BankSync>());
        services.AddSingleton<IContentClassifier, WorkerBankClassifier>();
        services.AddHealthChecks().AddCheck<BanksHealthCheck>("content-banks", tags: [HealthDefaults.Ready]);
        return services;
    }
}
