using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Pipeline;

namespace Moderation.Core.Tests.Pipeline;

public sealed class GroupCommitWriterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Holds every batch at <see cref="Gate"/> and signals when the first one has arrived.</summary>
    private sealed class RecordingStore : IModerationStore
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource FirstBatchArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<List<string>> Batches { get; } = [];
        public bool Fail { get; set; }
        public CancellationToken LastToken { get; private set; }

        public async Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct)
        {
            lock (Batches)
                Batches.Add(posts.Select(p => p.Record.ContentId).ToList());
            LastToken = ct;
            FirstBatchArrived.TrySetResult();
            await Gate.Task.WaitAsync(ct);
            if (Fail)
                throw new InvalidOperationException("database down");
            return posts.Select(p => new SaveOutcome(p, true)).ToList();
        }

        public Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct) => Task.FromResult(false);
        public Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct) => Task.FromResult<ModeratedPost?>(null);
        public Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);
        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct) => Task.FromResult(0);
        public IAsyncEnumerable<ProducedRecord> ProduceAsync(RecordQuery query, CancellationToken ct) => AsyncEnumerable.Empty<ProducedRecord>();
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
        var first = writer.SaveAsync(Post(0), CancellationToken.None);
        // The first batch is being written (and held) before the others are queued.
        await store.FirstBatchArrived.Task.WaitAsync(Patience);
        var rest = Enumerable.Range(1, 10).Select(i => writer.SaveAsync(Post(i), CancellationToken.None)).ToList();
        store.Gate.SetResult();
        var outcomes = await Task.WhenAll(rest.Prepend(first));

        Assert.Equal([1, 10], store.Batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"c{i}"), outcomes.Select(o => o.Stored.Record.ContentId));
    }

    [Fact]
    public async Task A_failed_batch_faults_every_caller_in_it()
    {
        var store = new RecordingStore { Fail = true };
        await using var writer = new GroupCommitWriter(store);
        var saves = Enumerable.Range(0, 3).Select(i => writer.SaveAsync(Post(i), CancellationToken.None)).ToList();
        store.Gate.SetResult();
        foreach (var save in saves)
            await Assert.ThrowsAsync<InvalidOperationException>(() => save);
    }

    [Fact]
    public async Task A_caller_that_gives_up_stops_waiting_at_once_and_its_post_is_left_out_of_the_next_batch()
    {
        var store = new RecordingStore();
        await using var writer = new GroupCommitWriter(store);
        var first = writer.SaveAsync(Post(0), CancellationToken.None);
        await store.FirstBatchArrived.Task.WaitAsync(Patience);
        using var givingUp = new CancellationTokenSource();
        var abandoned = writer.SaveAsync(Post(1), givingUp.Token);
        // Queued behind the abandoned post: when its outcome arrives, the batch that would have held both was formed.
        var sentinel = writer.SaveAsync(Post(2), CancellationToken.None);

        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        store.Gate.SetResult();
        await Task.WhenAll(first, sentinel);

        Assert.Equal([["c0"], ["c2"]], store.Batches);
    }

    [Fact]
    public async Task An_already_cancelled_save_is_refused_without_queueing()
    {
        var store = new RecordingStore();
        await using var writer = new GroupCommitWriter(store);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        // Thrown by the call itself, before anything is queued.
        Assert.Throws<OperationCanceledException>(() => { _ = writer.SaveAsync(Post(0), cancelled.Token); });
        store.Gate.SetResult();
        await writer.SaveAsync(Post(1), CancellationToken.None);
        Assert.Equal([["c1"]], store.Batches);
    }

    [Fact]
    public async Task Disposing_cancels_the_batch_in_flight()
    {
        var store = new RecordingStore();
        var writer = new GroupCommitWriter(store);
        var save = writer.SaveAsync(Post(0), CancellationToken.None);
        await store.FirstBatchArrived.Task.WaitAsync(Patience);
        Assert.False(store.LastToken.IsCancellationRequested);

        await writer.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => save);
        Assert.Throws<ObjectDisposedException>(() => { _ = writer.SaveAsync(Post(1), CancellationToken.None); });
    }
}
