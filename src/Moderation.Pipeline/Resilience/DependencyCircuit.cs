using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Pipeline.Observability;

namespace Moderation.Pipeline.Resilience;

/// <summary>
/// Back-pressure instead of dead letters. Every consume runs through <see cref="RunAsync"/>. While the
/// circuit is closed that is a plain call. When an attempt fails with an infrastructure fault (database or broker
/// down, see <see cref="FaultKinds"/>) the circuit opens: that post and every post that arrives after it wait
/// here, unacknowledged, so the worker stops taking new work (the broker sends no more than the prefetch count)
/// and nothing is moved to the error queue. Every <see cref="ResilienceOptions.ProbeInterval"/> one waiting post
/// is let through as a trial; when a trial succeeds the circuit closes and everyone resumes by themselves.
/// <para>A wait ends early in two cases, both returning the post to the queue rather than failing it: the
/// consume is cancelled (shutdown, or the channel was lost), or the post has been held for
/// <see cref="ResilienceOptions.MaxHold"/>. Both surface as an <see cref="OperationCanceledException"/> carrying
/// the consume's token, which MassTransit neither retries nor dead-letters: it negative-acknowledges the
/// delivery with requeue (or, if the channel is gone, the broker requeues it).</para>
/// </summary>
public sealed class DependencyCircuit
{
    private readonly TimeProvider _time;
    private readonly ILogger<DependencyCircuit> _log;
    private readonly IOptions<ResilienceOptions> _options;
    private readonly WorkerMetrics _metrics;
    private readonly Lock _lock = new();
    private OpenState? _open;
    private int _held;

    public DependencyCircuit(TimeProvider time, ILogger<DependencyCircuit> log, IOptions<ResilienceOptions> options, WorkerMetrics metrics)
    {
        _time = time;
        _log = log;
        _options = options;
        _metrics = metrics;
        metrics.ObserveCircuit(() => IsOpen, () => Volatile.Read(ref _held));
    }

    private sealed class OpenState(DateTimeOffset since, string dependency, string reason, DateTimeOffset nextTrial)
    {
        public DateTimeOffset Since { get; } = since;
        public string Dependency { get; } = dependency;
        public string Reason { get; set; } = reason;
        public DateTimeOffset NextTrial { get; set; } = nextTrial;
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public bool IsOpen => Volatile.Read(ref _open) is not null;

    /// <summary>"database unavailable since 12:00:01: Connection refused", or null when closed.</summary>
    public string? Describe()
    {
        var open = Volatile.Read(ref _open);
        return open is null ? null : $"{open.Dependency} unavailable since {open.Since:HH:mm:ss}: {open.Reason}";
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (given the attempt number, 0 first) until it succeeds or fails with
    /// something that is not an infrastructure fault, which is rethrown to MassTransit's retry and error handling.
    /// </summary>
    public async Task RunAsync(Func<int, Task> attempt, CancellationToken ct)
    {
        var heldSince = _time.GetUtcNow();
        for (var n = 0; ; n++)
        {
            await WaitForTurnAsync(heldSince, ct);
            try
            {
                await attempt(n);
                Succeeded();
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OperationCanceledException && FaultKinds.Classify(ex) == FaultKind.Infrastructure)
            {
                Failed(ex);
            }
        }
    }

    private async Task WaitForTurnAsync(DateTimeOffset heldSince, CancellationToken ct)
    {
        var counted = false;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var open = Volatile.Read(ref _open);
                if (open is null)
                    return;
                if (!counted)
                {
                    Interlocked.Increment(ref _held);
                    counted = true;
                }
                var now = _time.GetUtcNow();
                if (now - heldSince >= _options.Value.MaxHold)
                {
                    _metrics.ReturnedToQueue();
                    // The consume's own token: MassTransit requeues the delivery and raises no Fault event.
                    throw new OperationCanceledException($"Held for {_options.Value.MaxHold} while {Describe()}; returned to the queue.", ct);
                }
                lock (_lock)
                {
                    if (ReferenceEquals(_open, open) && now >= open.NextTrial)
                    {
                        open.NextTrial = now + _options.Value.ProbeInterval;
                        return; // this caller is the trial
                    }
                }
                var wait = open.NextTrial - now;
                if (wait < TimeSpan.FromMilliseconds(10))
                    wait = TimeSpan.FromMilliseconds(10);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var delay = Task.Delay(wait, _time, timeout.Token);
                await Task.WhenAny(open.Closed.Task, delay);
                await timeout.CancelAsync();
            }
        }
        finally
        {
            if (counted)
                Interlocked.Decrement(ref _held);
        }
    }

    private void Succeeded()
    {
        OpenState? closed;
        lock (_lock)
        {
            closed = _open;
            _open = null;
        }
        if (closed is null)
            return;
        closed.Closed.TrySetResult();
        _log.LogWarning("Intake resumed: {Dependency} is back after {Seconds:F1} s.", closed.Dependency, (_time.GetUtcNow() - closed.Since).TotalSeconds);
    }

    private void Failed(Exception ex)
    {
        var dependency = FaultKinds.Dependency(ex);
        var reason = Moderation.ServiceDefaults.Startup.DependencyProbeExtensions.Reason(ex);
        _metrics.InfrastructureRetry(dependency);
        OpenState? opened = null;
        lock (_lock)
        {
            if (_open is null)
                _open = opened = new OpenState(_time.GetUtcNow(), dependency, reason, _time.GetUtcNow() + _options.Value.ProbeInterval);
            else
                _open.Reason = reason;
        }
        if (opened is not null)
            _log.LogWarning("Intake paused: {Dependency} unavailable ({Reason}). Posts are held unacknowledged and tried again every {Interval:F0} s; nothing is moved to the error queue.",
                dependency, reason, _options.Value.ProbeInterval.TotalSeconds);
    }
}
