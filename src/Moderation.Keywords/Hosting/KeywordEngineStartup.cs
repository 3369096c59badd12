using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moderation.Keywords.Hosting;

/// <summary>
/// Creates the provider when the host starts, so the lexicon compiles in the background from the first
/// second instead of on the first post, and stops the host when the first lexicon cannot be loaded (a
/// worker that can never moderate should fail like a bad configuration, not dead-letter every post).
/// </summary>
internal sealed class KeywordEngineStartup(KeywordEngineProvider provider, IHostApplicationLifetime lifetime, ILogger<KeywordEngineStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = provider.WhenReady.ContinueWith(
            t =>
            {
                logger.LogCritical("Stopping: the keyword lexicon could not be loaded: {Error}", t.Exception?.GetBaseException().Message);
                lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
