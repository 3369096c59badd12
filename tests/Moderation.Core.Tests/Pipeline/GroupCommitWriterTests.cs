using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Pipeline;

namespace Moderation.Core.Tests.Pipeline;

public sealed class GroupCommitWriterTests
{
    private sealed class RecordingStore : IModerationStore
    {
        public TaskCompletionSource Gate { get; } = new();
        public List<int> BatchSizes { get; } = [];
        public bool Fail { get; set; }

        public async Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct)
        {
            lock (BatchSizes)
                BatchSizes.Add(posts.Count);
            await Gate.Task;
            if (Fail)
                throw new InvalidOperationException("database down");
            return posts.Select(p => new SaveOutcome(p, true)).ToList();
        }

        public Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct) => Task.FromResult(false);
        public Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct) => Task.FromResult<ModeratedPost?>(null);
        public Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);
        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct) => Task.FromResult(0);
        public Task<IReadOnlyList<ProducedRecord>> ProduceAsync(RecordQuery query, CancellationToken ct) => Task.FromResult<IReadOnlyList<ProducedRecord>>([]);
        public Task<int> PlaceLegalHoldAsync(RecordQuery query, CancellationToken ct) => Task.FromResult(0);
    }

    private static ModeratedPost Post(int i)
    {
        var now = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = "p", ContentId = $"c{i}", ServiceType = "chat", AuthorId = "a", Body = "b", PublishedAt = now, SourceIp = "192.0.2.1",
        }, new IntakeOptions(), now);
        var d = new ModerationEngine([]).Decide(record, new(), now);
        var (json, sha) = EvidenceSnapshot.Create(record, d);
        return new ModeratedPost(record, d, json, sha, now);
    }

    [Fact]
    public async Task Posts_queued_while_a_batch_is_written_share_the_next_batch()
    {
        var store = new RecordingStore();
        await using var writer = new GroupCommitWriter(store);
        var first = writer.SaveAsync(Post(0));
        SpinWait.SpinUntil(() => { lock (store.BatchSizes) return store.BatchSizes.Count == 1; }, 5000);
        var rest = Enumerable.Range(1, 10).Select(i => writer.SaveAsync(Post(i))).ToList();
        store.Gate.SetResult();
        var outcomes = await Task.WhenAll(rest.Prepend(first));

        Assert.Equal([1, 10], store.BatchSizes);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"c{i}"), outcomes.Select(o => o.Stored.Record.ContentId));
    }

    [Fact]
    public async Task A_failed_batch_faults_every_caller_in_it()
    {
        var store = new RecordingStore { Fail = true };
        await using var writer = new GroupCommitWriter(store);
        var saves = Enumerable.Range(0, 3).Select(i => writer.SaveAsync(Post(i))).ToList();
        store.Gate.SetResult();
        foreach (var save in saves)
            await Assert.ThrowsAsync<InvalidOperationException>(() => save);
    }
}
