using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moderation.Core.Posts;
using Moderation.Pipeline.Observability;
using Moderation.Pipeline.Resilience;
using Npgsql;

namespace Moderation.Core.Tests.Resilience;

public sealed class DependencyCircuitTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly DependencyCircuit _circuit;
    private int _attempts;
    private volatile bool _databaseDown;

    public DependencyCircuitTests()
    {
        var options = Options.Create(new ResilienceOptions { ProbeInterval = TimeSpan.FromSeconds(2), MaxHold = TimeSpan.FromSeconds(10) });
        _circuit = new DependencyCircuit(_time, NullLogger<DependencyCircuit>.Instance, options, new WorkerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>One attempt at saving a post: fails like Npgsql does while the database is down.</summary>
    private Task Save(int attempt)
    {
        Interlocked.Increment(ref _attempts);
        return _databaseDown ? Task.FromException(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111))) : Task.CompletedTask;
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 5000 && !condition(); i++)
            await Task.Delay(1);
        Assert.True(condition(), "the expected state was never reached");
    }

    [Fact]
    public async Task While_closed_an_attempt_simply_runs()
    {
        await _circuit.RunAsync(Save, CancellationToken.None);
        Assert.Equal(1, _attempts);
        Assert.False(_circuit.IsOpen);
    }

    [Fact]
    public async Task An_outage_holds_every_post_lets_one_trial_through_per_interval_and_resumes_all_when_it_succeeds()
    {
        _databaseDown = true;
        var first = _circuit.RunAsync(Save, CancellationToken.None);
        Assert.True(_circuit.IsOpen);
        Assert.Contains("database unavailable", _circuit.Describe(), StringComparison.Ordinal);
        var second = _circuit.RunAsync(Save, CancellationToken.None); // arrives during the outage: waits, no attempt
        Assert.Equal(1, _attempts);

        _time.Advance(TimeSpan.FromSeconds(2)); // one trial, which fails
        await Until(() => _attempts == 2);
        _databaseDown = false;
        _time.Advance(TimeSpan.FromSeconds(2)); // the next trial succeeds and closes the circuit; the other post follows
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(4, _attempts); // 1 first try + 2 trials + 1 for the post released when the circuit closed
        Assert.False(_circuit.IsOpen);
    }

    [Fact]
    public async Task A_post_at_fault_is_not_held_but_rethrown_at_once()
    {
        await Assert.ThrowsAsync<PostRejectedException>(() => _circuit.RunAsync(_ => throw new PostRejectedException("authorId is required."), CancellationToken.None));
        Assert.False(_circuit.IsOpen);
    }

    [Fact]
    public async Task A_post_held_too_long_is_returned_to_the_queue_with_the_consume_token()
    {
        _databaseDown = true;
        using var consume = new CancellationTokenSource();
        var held = _circuit.RunAsync(Save, consume.Token);
        for (var i = 0; i < 6 && !held.IsCompleted; i++)
        {
            var before = _attempts;
            _time.Advance(TimeSpan.FromSeconds(2));
            await Until(() => _attempts > before || held.IsCompleted);
        }
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromSeconds(10)));
        // MassTransit neither retries nor dead-letters a cancellation carrying the consume's own token: it requeues.
        Assert.Equal(consume.Token, ex.CancellationToken);
        Assert.Contains("returned to the queue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_consume_stops_waiting()
    {
        _databaseDown = true;
        using var consume = new CancellationTokenSource();
        var held = _circuit.RunAsync(Save, consume.Token);
        await consume.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, _attempts);
    }
}
