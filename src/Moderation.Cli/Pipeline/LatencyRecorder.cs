using System.Diagnostics;

namespace Moderation.Cli.Pipeline;

/// <summary>Publish and arrival timestamps per message index; arrivals may come from any thread.</summary>
internal sealed class LatencyRecorder(int count)
{
    private readonly long[] _published = new long[count];
    private readonly long[] _arrived = new long[count];
    private int _arrivedCount;
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Published(int index) => _published[index] = Stopwatch.GetTimestamp();

    public void Arrived(int index)
    {
        if (index < 0 || index >= _arrived.Length || Interlocked.CompareExchange(ref _arrived[index], Stopwatch.GetTimestamp(), 0) != 0)
            return;
        if (Interlocked.Increment(ref _arrivedCount) == _arrived.Length)
            _all.TrySetResult();
    }

    public int ArrivedCount => Volatile.Read(ref _arrivedCount);

    public Task AllArrived => _all.Task;

    public RunResult Result(string name)
    {
        var first = _published.Min();
        var last = _arrived.Max();
        var seconds = (last - first) / (double)Stopwatch.Frequency;
        var latencies = _published.Zip(_arrived, (p, a) => (a - p) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new RunResult(name, _published.Length, _published.Length / seconds, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)]);
    }
}

internal sealed record RunResult(string Name, int Count, double PerSecond, double P50Ms, double P99Ms);
