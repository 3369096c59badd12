using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Detection.Hosting;
using Moderation.Keywords.Hosting;
using Moderation.Ml;

namespace Moderation.Pipeline;

/// <summary>
/// Every <see cref="Moderation.Core.Classification.IContentClassifier"/> registered here is asked about
/// every post. Adding a classifier means one line here; the worker itself does not change. The order is
/// the order of the versions joined into a decision's lexicon version (keyword, then detector).
/// </summary>
public static class ClassifierRegistration
{
    public static IServiceCollection AddModerationClassifiers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKeywordClassifier(configuration);
        services.AddSolicitationDetector(configuration);
        services.AddModelClassifier(configuration);
        return services;
    }
}
