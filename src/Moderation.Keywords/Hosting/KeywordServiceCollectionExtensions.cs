using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Core.Classification;

namespace Moderation.Keywords.Hosting;

public static class KeywordServiceCollectionExtensions
{
    /// <summary>
    /// Registers the keyword engine as an <see cref="IContentClassifier"/> (added to the enumerable,
    /// beside the model classifier), bound to <c>Moderation:Keywords</c> and validated at start-up.
    /// With no configuration it loads the shipped lexicon from <c>&lt;app base&gt;/lexicon</c> and hot-reloads it.
    /// </summary>
    public static IServiceCollection AddKeywordClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeywordOptions>()
            .Bind(configuration.GetSection(KeywordOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeywordOptions>, KeywordOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KeywordOptions>>().Value;
            return new KeywordEngineProvider(
                options.ResolvedPaths(),
                options.HotReload,
                options.ReloadDebounce,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger<KeywordEngineProvider>(),
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.AddHostedService<KeywordEngineStartup>();
        services.TryAddSingleton(sp => new KeywordClassifier(
            sp.GetRequiredService<KeywordEngineProvider>(),
            sp.GetRequiredService<IOptions<KeywordOptions>>().Value.MaxHitsPerTerm));
        services.AddSingleton<IContentClassifier>(sp => sp.GetRequiredService<KeywordClassifier>());
        return services;
    }
}
