using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderation.Core.Classification;
using Moderation.Ml.Serving;

namespace Moderation.Ml;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ML.NET classifier as an <see cref="IContentClassifier"/> (alongside any keyword
    /// classifier) from section <c>Moderation:Model</c>. Options are validated at start-up: with the
    /// model enabled and no model.json in the directory the host fails to start with a clear message.
    /// With <c>Moderation:Model:Enabled=false</c> nothing is registered.
    /// </summary>
    public static IServiceCollection AddModelClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ModelOptions.Section);
        services.AddOptions<ModelOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>());
        if (bool.TryParse(section[nameof(ModelOptions.Enabled)], out var enabled) && !enabled)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ModelClassifier>();
        services.AddSingleton<IContentClassifier>(sp => sp.GetRequiredService<ModelClassifier>());
        return services;
    }
}
