using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Moderation.Worker;

/// <summary>
/// Every <see cref="Moderation.Core.Classification.IContentClassifier"/> registered here is asked about
/// every post. Adding a classifier means one line here; the worker itself does not change.
/// </summary>
public static class ClassifierRegistration
{
    public static IServiceCollection AddModerationClassifiers(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
