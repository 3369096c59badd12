using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderation.Keywords.Hosting;
using Moderation.Ml.Serving;

namespace Moderation.Pipeline.Health;

/// <summary>
/// Ready when the keyword lexicon is compiled and (unless disabled) the model is loaded. The one place that knows
/// how to ask the keyword engine and the model whether they are loaded: adapt it here when that changes.
/// </summary>
public sealed class ClassifiersHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var (lexicon, model) = CurrentVersions(services);
            var keywords = services.GetService<KeywordEngineProvider>();
            var note = keywords?.LastError is { } error ? $"; the last lexicon reload was rejected, the previous one stays in force: {error.Message}" : "";
            return Task.FromResult(HealthCheckResult.Healthy($"lexicon {lexicon}, model {model}{note}"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"lexicon or model not loaded: {ex.Message}"));
        }
    }

    /// <summary>The versions decisions are made with now ("none" where a classifier is not registered).</summary>
    public static (string Lexicon, string Model) CurrentVersions(IServiceProvider services) =>
        (services.GetService<KeywordEngineProvider>()?.Current.Version ?? "none",
         services.GetService<ModelClassifier>()?.Current.Version ?? "none");
}
