using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Pipeline;

namespace Moderation.Core.Tests.Pipeline;

public sealed class PostModeratorTests
{
    /// <summary>Stores the first save of each key and hands it back on later saves, like the real stores.</summary>
    private sealed class MemoryStore : IModerationStore
    {
        private readonly Dictionary<(string, string, long), ModeratedPost> _posts = [];

        public Task<IReadOnlyList<SaveOutcome>> SaveAsync(IReadOnlyList<ModeratedPost> posts, CancellationToken ct)
        {
            var outcomes = new List<SaveOutcome>();
            foreach (var p in posts)
            {
                var key = (p.Record.Platform, p.Record.ContentId, p.Record.Version);
                var inserted = _posts.TryAdd(key, p);
                outcomes.Add(new SaveOutcome(_posts[key], inserted));
            }
            return Task.FromResult<IReadOnlyList<SaveOutcome>>(outcomes);
        }

        public Task<bool> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct) => Task.FromResult(false);
        public Task<ModeratedPost?> FindAsync(string platform, string contentId, long version, CancellationToken ct) => Task.FromResult(_posts.GetValueOrDefault((platform, contentId, version)));
        public Task<DateTimeOffset?> TakedownCompletedAtAsync(Guid decisionId, CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);
        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken ct) => Task.FromResult(0);
        public IAsyncEnumerable<ProducedRecord> ProduceAsync(RecordQuery query, CancellationToken ct) => AsyncEnumerable.Empty<ProducedRecord>();
        public Task<int> PlaceLegalHoldAsync(RecordQuery query, CancellationToken ct) => Task.FromResult(0);
    }

    /// <summary>Blocks on "bad", and its version string can be changed to show which decision was emitted.</summary>
    private sealed class SwitchableClassifier : IContentClassifier
    {
        public string Version { get; set; } = "lex-1";
        public string Kind => ClassifierKinds.Keyword;
        public ClassifierResult Classify(string text) =>
            new(Kind, Version, text.Contains("bad", StringComparison.Ordinal) ? [new KeywordHit("bad", 9, null, 3, 0, 3, "bad")] : [], []);
    }

    private readonly SwitchableClassifier _classifier = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
    private readonly List<OutgoingEvent> _emitted = [];

    private PostModerator Moderator(GroupCommitWriter writer) => new(
        new ModerationEngine([_classifier]), writer, new StaticOptionsMonitor(new PolicyOptions()),
        Options.Create(new IntakeOptions()), Options.Create(new StorageOptions()), _time);

    private Task Emit(OutgoingEvent e, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _emitted.Add(e);
        return Task.CompletedTask;
    }

    private ContentPublished Post(string body = "bad thing") => new()
    {
        Platform = "p", ContentId = "c", ServiceType = "chat", AuthorId = "a", Body = body,
        PublishedAt = _time.GetUtcNow(), SourceIp = "192.0.2.1",
    };

    [Fact]
    public async Task A_new_post_emits_its_events_once()
    {
        await using var writer = new GroupCommitWriter(new MemoryStore());
        var outcome = await Moderator(writer).ModerateAsync(Post(), seenBefore: false, Emit, CancellationToken.None);
        Assert.False(outcome.Duplicate);
        Assert.Equal([nameof(ContentModerated), nameof(TakedownRequested), nameof(RecordPreservationRequested)], _emitted.Select(e => e.Message.GetType().Name));
    }

    [Fact]
    public async Task A_republish_of_a_stored_post_emits_nothing()
    {
        await using var writer = new GroupCommitWriter(new MemoryStore());
        var moderator = Moderator(writer);
        await moderator.ModerateAsync(Post(), false, Emit, CancellationToken.None);
        _emitted.Clear();

        var outcome = await moderator.ModerateAsync(Post(), seenBefore: false, Emit, CancellationToken.None);

        Assert.True(outcome.Duplicate);
        Assert.Empty(_emitted);
    }

    [Fact]
    public async Task A_redelivery_re_emits_the_stored_decision_with_the_same_message_ids()
    {
        await using var writer = new GroupCommitWriter(new MemoryStore());
        var moderator = Moderator(writer);
        await moderator.ModerateAsync(Post(), false, Emit, CancellationToken.None);
        var first = _emitted.Select(e => e.MessageId).ToList();
        _emitted.Clear();
        _classifier.Version = "lex-2";
        _time.Advance(TimeSpan.FromMinutes(5));

        await moderator.ModerateAsync(Post(), seenBefore: true, Emit, CancellationToken.None);

        Assert.Equal(first, _emitted.Select(e => e.MessageId));
        Assert.Equal("lex-1", ((ContentModerated)_emitted[0].Message).LexiconVersion);
    }

    [Fact]
    public async Task A_rejected_post_is_never_stored_or_emitted()
    {
        var store = new MemoryStore();
        await using var writer = new GroupCommitWriter(store);
        await Assert.ThrowsAsync<PostRejectedException>(() => Moderator(writer).ModerateAsync(Post() with { SourceIp = "nope" }, false, Emit, CancellationToken.None));
        Assert.Empty(_emitted);
        Assert.Null(await store.FindAsync("p", "c", 1, default));
    }

    [Fact]
    public async Task A_cancelled_delivery_stops_before_recording_and_emits_nothing()
    {
        var store = new MemoryStore();
        await using var writer = new GroupCommitWriter(store);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Moderator(writer).ModerateAsync(Post(), false, Emit, cancelled.Token));

        Assert.Empty(_emitted);
        Assert.Null(await store.FindAsync("p", "c", 1, default));
    }

    [Fact]
    public async Task The_delivery_token_reaches_every_publish()
    {
        await using var writer = new GroupCommitWriter(new MemoryStore());
        using var delivery = new CancellationTokenSource();
        var tokens = new List<CancellationToken>();
        await Moderator(writer).ModerateAsync(Post(), false, (e, ct) => { tokens.Add(ct); return Task.CompletedTask; }, delivery.Token);
        Assert.Equal(3, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(delivery.Token, t));
    }

    private sealed class StaticOptionsMonitor(PolicyOptions value) : IOptionsMonitor<PolicyOptions>
    {
        public PolicyOptions CurrentValue => value;
        public PolicyOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<PolicyOptions, string?> listener) => null;
    }
}
