using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Banks;
using Moderation.Storage.Banks;

namespace Moderation.Pipeline.Banks;

/// <summary>
/// Keeps the worker's bank index in step with the database. Start: loads every enabled bank's entries off the
/// start-up path (posts wait unacked on <see cref="WhenReady"/>, readiness reports "loading"), so a big bank
/// does not hold up the host. Then every <see cref="ContentBankOptions.PollInterval"/> it reads the bank version
/// (one row) and, when it moved, applies only what changed since the version it holds: a new entry is matched
/// about a poll interval after its commit, with no restart. A failed read keeps the index in force and retries.
/// </summary>
public sealed class BankSync(IBankStore store, BankIndexProvider provider, IOptions<ContentBankOptions> options, TimeProvider time, ILogger<BankSync> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BankIndexOptions _indexOptions = new();

    /// <summary>Completes when the first load is in force.</summary>
    public Task WhenReady => _ready.Task;

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Why the last load or refresh failed (null after a success).</summary>
    public string? LastError { get; private set; }

    /// <summary>Entries the matcher refused (see <see cref="BankEntries.Indexable"/>) in the last load or refresh.</summary>
    public int Refused { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested && !IsReady)
        {
            try
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var contents = await store.LoadAsync(null, stoppingToken) ?? throw new InvalidOperationException("bank version moved backwards");
                var parallelism = o.LoadParallelism == 0 ? Environment.ProcessorCount : o.LoadParallelism;
                var (index, refused) = await Task.Run(() => BankEntries.Build(contents, _indexOptions, parallelism), stoppingToken);
                provider.Replace(index, contents.Version);
                Refused = refused;
                LastError = null;
                _ready.TrySetResult();
                logger.LogInformation("Content banks ready: version {Version}, {Count} entries ({Refused} refused) in {Seconds:F1} s",
                    contents.Version, index.Count, refused, watch.Elapsed.TotalSeconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LastError = ex.Message;
                logger.LogWarning("Content banks could not be loaded yet, retrying: {Error}", ex.Message);
                await DelayAsync(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await DelayAsync(o.PollInterval, stoppingToken);
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LastError = ex.Message;
                logger.LogWarning("Content banks refresh failed, version {Version} stays in force: {Error}", provider.Sequence, ex.Message);
            }
        }
    }

    /// <summary>One poll: reads the version and, when it moved, applies what changed. Returns whether it applied anything.</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct)
    {
        var held = provider.Sequence;
        if (await store.VersionAsync(ct) <= held)
            return false;
        var delta = await store.ChangesSinceAsync(held, ct);
        Refused = BankEntries.Apply(provider, delta, _indexOptions);
        LastError = null;
        logger.LogInformation("Content banks {Old} -> {New}: {Upserts} added, {Removals} removed, {Reset} banks reset",
            held, delta.Version, delta.Upserts.Count, delta.Removals.Count, delta.ResetBanks.Count);
        return true;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
