using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Moderation.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for every Moderation process: the app's own meters and activity sources plus MassTransit,
/// Npgsql, ASP.NET Core, HttpClient and the .NET runtime. Metrics are served for Prometheus (/metrics) and,
/// like traces and logs, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard
/// OpenTelemetry variable, so collectors, Aspire and Grafana Alloy work without a project-specific key).
/// </summary>
public static class TelemetryDefaults
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string PrometheusKey = "Moderation:Telemetry:Prometheus";

    /// <summary>MassTransit's ActivitySource and Meter name.</summary>
    public const string MassTransit = "MassTransit";

    public static IHostApplicationBuilder AddModerationTelemetry(this IHostApplicationBuilder builder, string serviceName, string[] meters, string[] activitySources)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var prometheus = builder.Configuration.GetValue(PrometheusKey, true);

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(TelemetryDefaults).Assembly.GetName().Version?.ToString(), serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(m =>
            {
                m.AddMeter([.. meters, MassTransit])
                    .AddNpgsqlInstrumentation()
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (prometheus)
                    m.AddPrometheusExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource([.. activitySources, MassTransit])
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) && !ctx.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
            });
        if (otlp)
            telemetry.UseOtlpExporter();
        return builder;
    }
}
