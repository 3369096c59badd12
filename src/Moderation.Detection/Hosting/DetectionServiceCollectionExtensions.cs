using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Core.Classification;

namespace Moderation.Detection.Hosting;

public static class DetectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the solicitation detector as an <see cref="IContentClassifier"/> (beside the keyword and
    /// model classifiers), bound to <c>Moderation:Detection</c> and validated at start-up. With no
    /// configuration it loads the shipped pattern lists from <c>&lt;app base&gt;/detection</c>, checks no
    /// domain lists, and hot-reloads. With <c>Moderation:Detection:Enabled=false</c> nothing is registered.
    /// </summary>
    public static IServiceCollection AddSolicitationDetector(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DetectionOptions.SectionName);
        services.AddOptions<DetectionOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DetectionOptions>, DetectionOptionsValidator>());
        if (bool.TryParse(section[nameof(DetectionOptions.Enabled)], out var enabled) && !enabled)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DetectionOptions>>().Value;
            return new DetectorRulesProvider(
                options.ResolvedPatternPaths(),
                options.ResolvedDomainLists(),
                options.HotReload,
                options.ReloadDebounce,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger<DetectorRulesProvider>());
        });
        services.TryAddSingleton<SolicitationClassifier>();
        services.AddSingleton<IContentClassifier>(sp => sp.GetRequiredService<SolicitationClassifier>());
        return services;
    }
}
