using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moderation.Storage;
using Moderation.Pipeline.Retention;

namespace Moderation.Core.Tests.Worker;

public sealed class RetentionPurgeServiceTests
{
    private sealed class PurgeCountingStore : IModerationStore
    {
        public List<DateTimeOffset> Purges { get; } = [];
        public SemaphoreSlim Purged { get; } = new(0);

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct)
        {
            lock (Purges)
                Purges.Add(now);
            Purged.Release();
            return Task.FromResult(3);
        }

        public Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct) => throw new NotSupportedException();
        public Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct) => throw new NotSupportedException();
        public Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct) => throw new NotSupportedException();
        public IAsyncEnumerable<ProducedRecord> ProduceAsync(RecordQuery query, CancellationToken ct) => throw new NotSupportedException();
        public Task<int> PlaceLegalHoldAsync(RecordQuery query, CancellationToken ct) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Purges_at_start_and_then_once_per_interval_with_the_time_of_the_tick()
    {
        var store = new PurgeCountingStore();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
        using var service = new RetentionPurgeService(store, Options.Create(new RetentionOptions { Interval = TimeSpan.FromHours(1) }), time, NullLogger<RetentionPurgeService>.Instance);

        await service.StartAsync(CancellationToken.None);
        Assert.True(await store.Purged.WaitAsync(TimeSpan.FromSeconds(5)));
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(await store.Purged.WaitAsync(TimeSpan.FromMilliseconds(200)));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await store.Purged.WaitAsync(TimeSpan.FromSeconds(5)));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([time.Start, time.Start.AddHours(1)], store.Purges);
    }

    [Fact]
    public async Task Does_nothing_when_disabled()
    {
        var store = new PurgeCountingStore();
        using var service = new RetentionPurgeService(store, Options.Create(new RetentionOptions { Enabled = false }), new FakeTimeProvider(), NullLogger<RetentionPurgeService>.Instance);
        await service.StartAsync(CancellationToken.None);
        Assert.False(await store.Purged.WaitAsync(TimeSpan.FromMilliseconds(200)));
        await service.StopAsync(CancellationToken.None);
    }
}
