using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderation.ServiceDefaults.Startup;
using OpenTelemetry.Metrics;

namespace Moderation.ServiceDefaults.Health;

public static class HealthDefaults
{
    /// <summary>Tag of the checks behind /health/live: the process runs and is not wedged.</summary>
    public const string Live = "live";

    /// <summary>Tag of the checks behind /health/ready: it can do its work now (MassTransit tags its bus check "ready" too).</summary>
    public const string Ready = "ready";

    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>Health checks with a liveness check of their own (added once however often this is called); readiness checks are added by each app.</summary>
    public static IHealthChecksBuilder AddModerationHealthChecks(this IServiceCollection services)
    {
        var builder = services.AddHealthChecks();
        if (services.Any(d => d.ServiceType == typeof(LivenessRegistered)))
            return builder;
        services.AddSingleton<LivenessRegistered>();
        return builder.AddCheck("self", () => HealthCheckResult.Healthy("running"), [Live]);
    }

    private sealed class LivenessRegistered;

    /// <summary>A readiness check over a dependency probe (timeout 5 s, so /health/ready always answers).</summary>
    public static IHealthChecksBuilder AddDependencyCheck(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, IDependencyProbe> probe) =>
        builder.Add(new HealthCheckRegistration(name, sp => new DependencyHealthCheck(probe(sp)), HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5)));

    /// <summary>
    /// GET /health/live, /health/ready (JSON: overall status and each check's status and description; 503 when
    /// unhealthy) and /metrics (Prometheus text, when a meter provider with the Prometheus exporter is given).
    /// All anonymous: probes and scrapers carry no credentials. Keep them off the public side of a reverse proxy.
    /// </summary>
    public static IEndpointRouteBuilder MapModerationHealthEndpoints(this IEndpointRouteBuilder endpoints, MeterProvider? meterProvider = null)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(Live), ResponseWriter = WriteJson }).AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready), ResponseWriter = WriteJson }).AllowAnonymous();
        if (meterProvider is not null)
            endpoints.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider, null, null).AllowAnonymous();
        return endpoints;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }, StringComparer.Ordinal),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
