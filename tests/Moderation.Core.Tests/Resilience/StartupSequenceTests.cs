using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moderation.ServiceDefaults.Startup;

namespace Moderation.Core.Tests.Resilience;

public sealed class StartupSequenceTests
{
    private sealed class FakeProbe(Func<int, bool> upAtAttempt) : IDependencyProbe
    {
        public int Attempts;
        public string Name => "PostgreSQL";
        public string Location => "127.0.0.1:5999/moderation";
        public string Setting => "Moderation:Storage:ConnectionString";

        public Task CheckAsync(CancellationToken ct) => upAtAttempt(++Attempts)
            ? Task.CompletedTask
            : Task.FromException(new InvalidOperationException("outer", new System.Net.Sockets.SocketException(111)));
    }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private StartupSequence Sequence(IDependencyProbe probe, params StartupStep[] steps) => new(
        new ServiceCollection().BuildServiceProvider(), [probe], steps,
        Options.Create(new StartupOptions { DependencyTimeout = TimeSpan.FromSeconds(10), RetryInterval = TimeSpan.FromSeconds(2) }),
        _time, NullLogger<StartupSequence>.Instance);

    private async Task<Task> AdvanceUntilDone(Task run)
    {
        for (var i = 0; i < 20 && !run.IsCompleted; i++)
        {
            await Task.Delay(5);
            _time.Advance(TimeSpan.FromSeconds(2));
        }
        return run;
    }

    [Fact]
    public async Task A_dependency_that_comes_up_while_start_up_waits_lets_it_go_on()
    {
        var probe = new FakeProbe(attempt => attempt >= 3);
        var stepRan = false;
        var run = Sequence(probe, new StartupStep("step", (_, _) => { stepRan = true; return Task.CompletedTask; })).RunAsync(CancellationToken.None);
        await (await AdvanceUntilDone(run)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, probe.Attempts);
        Assert.True(stepRan);
    }

    [Fact]
    public async Task A_dependency_still_down_at_the_deadline_ends_start_up_with_one_line_naming_what_where_and_which_setting()
    {
        var run = Sequence(new FakeProbe(_ => false)).RunAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<StartupFailedException>(async () => await (await AdvanceUntilDone(run)).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ExitCodes.DependencyUnavailable, ex.ExitCode);
        Assert.StartsWith("PostgreSQL at 127.0.0.1:5999/moderation (Moderation:Storage:ConnectionString) is still not available after", ex.Message, StringComparison.Ordinal);
        Assert.Contains(new System.Net.Sockets.SocketException(111).Message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_that_is_not_ready_yet_is_retried_and_one_that_fails_for_good_is_not()
    {
        var tries = 0;
        var waits = Sequence(new FakeProbe(_ => true), new StartupStep("Database schema", (_, _) =>
            ++tries < 2 ? throw new DependencyNotReadyException("the database lacks 1 migration(s)") : Task.CompletedTask)).RunAsync(CancellationToken.None);
        await (await AdvanceUntilDone(waits)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, tries);

        var fails = Sequence(new FakeProbe(_ => true), new StartupStep("Lexicon and model", (_, _) =>
            throw new StartupFailedException("The lexicon could not be loaded", ExitCodes.ConfigurationInvalid))).RunAsync(CancellationToken.None);
        var ex = await Assert.ThrowsAsync<StartupFailedException>(() => fails.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ExitCodes.ConfigurationInvalid, ex.ExitCode);
    }
}
