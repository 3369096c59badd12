using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Moderation.ServiceDefaults.Health;

/// <summary>
/// For a process without HTTP of its own (the worker): a small Kestrel listener on
/// <c>Moderation:Health:Urls</c> that serves /health/live, /health/ready and /metrics from the main host's
/// health checks and meter provider. Off when the setting is empty (the default, and in <c>demo</c>).
/// </summary>
public sealed class HealthListener(IServiceProvider services, IConfiguration configuration, ILogger<HealthListener> log) : IHostedService, IAsyncDisposable
{
    public const string UrlsKey = "Moderation:Health:Urls";
    private WebApplication? _app;

    /// <summary>The addresses actually bound (port 0 resolved), once started.</summary>
    public IReadOnlyList<string> Addresses => _app?.Urls.ToList() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = configuration[UrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
            return;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Moderation.HealthListener" });
        builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Logging.ClearProviders();
        // The checks are the main host's: this app only forwards to its HealthCheckService.
        builder.Services.AddSingleton(services.GetRequiredService<HealthCheckService>());
        builder.Services.AddHealthChecks(); // TryAdd: keeps the forwarded service
        builder.Services.AddRouting();
        _app = builder.Build();
        _app.MapModerationHealthEndpoints(services.GetService<MeterProvider>());
        await _app.StartAsync(cancellationToken);
        log.LogInformation("Health and metrics on {Urls} ({Live}, {Ready}, {Metrics})", string.Join(", ", _app.Urls), HealthDefaults.LivePath, HealthDefaults.ReadyPath, HealthDefaults.MetricsPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
