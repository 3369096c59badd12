using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;

namespace Moderation.Integration.Tests.Storage;

/// <summary>
/// What every <see cref="IModerationStore"/> must do. Run against PostgreSQL and SQLite by the two
/// subclasses, so the embedded default and production cannot drift apart.
/// </summary>
public abstract partial class ModerationStoreContract
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    protected abstract IModerationStore Store { get; }

    private sealed class FixedClassifier(params KeywordHit[] hits) : IContentClassifier
    {
        public string Kind => ClassifierKinds.Keyword;
        public ClassifierResult Classify(string text) => new(Kind, "lex-test", hits, []);
    }

    internal static ModeratedPost Post(string contentId, int severity = 0, int category = 9, long version = 1, DateTimeOffset? now = null, string body = "正文 body")
    {
        var at = now ?? Now;
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = "store-test", ContentId = contentId, Version = version, ServiceType = ServiceTypes.Forum, AuthorId = "author-1",
            Title = "title", Body = body, Urls = ["https://example.org/a"], PublishedAt = at.AddMinutes(-1),
            SourceIp = "2001:db8::7", SourcePort = 4242,
        }, new IntakeOptions { RetentionDays = 60 }, at);
        KeywordHit[] hits = severity == 0 ? [] : [new KeywordHit("term", category, "drugs", severity, 6, 10, "body")];
        var decision = new ModerationEngine([new FixedClassifier(hits)]).Decide(record, new PolicyOptions(), at);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);
        return new ModeratedPost(record, decision, json, sha, at.AddHours(24));
    }

    [Fact]
    public async Task A_new_post_is_inserted_and_can_be_read_back_exactly()
    {
        var post = Post("new-1", severity: 3);
        var outcome = Assert.Single(await Store.SaveAsync([post], default));
        Assert.True(outcome.Inserted);

        var found = await Store.FindAsync("store-test", "new-1", 1, default);
        Assert.NotNull(found);
        Assert.Equal(post.Record.Text, found.Record.Text);
        Assert.Equal(post.Record.SourceIp, found.Record.SourceIp);
        Assert.Equal(post.Record.PublishedAt, found.Record.PublishedAt);
        Assert.Equal(post.Decision.DecisionId, found.Decision.DecisionId);
        Assert.Equal(ModerationActions.Block, found.Decision.Action);
        Assert.Equal(post.EvidenceSha256, found.EvidenceSha256);
        Assert.Equal(PostIntake.Sha256Hex(found.EvidenceJson), found.EvidenceSha256);
    }

    [Fact]
    public async Task Saving_the_same_version_again_keeps_the_first_decision()
    {
        var first = Post("dup-1", severity: 3);
        await Store.SaveAsync([first], default);
        var again = Post("dup-1", severity: 0, now: Now.AddMinutes(5));

        var outcome = Assert.Single(await Store.SaveAsync([again], default));
        Assert.False(outcome.Inserted);
        Assert.Equal(ModerationActions.Block, outcome.Stored.Decision.Action);
        Assert.Equal(first.Record.ReceivedAt, outcome.Stored.Record.ReceivedAt);
    }

    [Fact]
    public async Task Duplicates_inside_one_batch_are_stored_once()
    {
        var outcomes = await Store.SaveAsync([Post("batch-dup"), Post("batch-other"), Post("batch-dup")], default);
        Assert.Equal([true, true, false], outcomes.Select(o => o.Inserted));
        Assert.Equal(outcomes[0].Stored.Decision.DecisionId, outcomes[2].Stored.Decision.DecisionId);
    }

    [Fact]
    public async Task An_edit_is_a_new_version_with_its_own_record()
    {
        await Store.SaveAsync([Post("edit-1", version: 1)], default);
        var outcome = Assert.Single(await Store.SaveAsync([Post("edit-1", version: 2, body: "edited body")], default));
        Assert.True(outcome.Inserted);
        Assert.Equal("title\nedited body", (await Store.FindAsync("store-test", "edit-1", 2, default))!.Record.Text);
        Assert.Equal("title\n正文 body", (await Store.FindAsync("store-test", "edit-1", 1, default))!.Record.Text);
    }

    [Fact]
    public async Task A_takedown_completion_is_recorded_against_its_decision_and_unknown_ones_are_refused()
    {
        var post = Post("td-1", severity: 3);
        await Store.SaveAsync([post], default);
        Assert.Null(await Store.TakedownCompletedAtAsync(post.Decision.DecisionId, default));
        Assert.True(await Store.CompleteTakedownAsync("store-test", "td-1", 1, null, Now.AddMinutes(3), default));
        Assert.Equal(Now.AddMinutes(3), await Store.TakedownCompletedAtAsync(post.Decision.DecisionId, default));
        Assert.False(await Store.CompleteTakedownAsync("store-test", "never-blocked", null, null, Now, default));
    }

    [Fact]
    public async Task Purge_removes_expired_records_but_keeps_blocked_evidence_and_young_records()
    {
        var old = Now.AddDays(-61);
        await Store.SaveAsync([Post("old-pass", now: old), Post("old-block", severity: 3, now: old), Post("young")], default);

        var purged = await Store.PurgeExpiredAsync(Now, default);

        Assert.True(purged >= 1);
        Assert.Null(await Store.FindAsync("store-test", "old-pass", 1, default));
        Assert.NotNull(await Store.FindAsync("store-test", "old-block", 1, default));
        Assert.NotNull(await Store.FindAsync("store-test", "young", 1, default));
    }

    [Fact]
    public async Task A_lawful_request_produces_the_records_of_an_author_in_a_window_with_intact_evidence()
    {
        await Store.SaveAsync([Post("req-1"), Post("req-2", severity: 3), Post("req-3", now: Now.AddDays(-10))], default);

        var produced = await Store.ProduceAsync(new RecordQuery("store-test", AuthorId: "author-1", From: Now.AddDays(-1), To: Now.AddDays(1)), default).ToListAsync();

        var ids = produced.Select(p => p.Post.Record.ContentId).ToList();
        Assert.Contains("req-1", ids);
        Assert.Contains("req-2", ids);
        Assert.DoesNotContain("req-3", ids);
        Assert.All(produced, p => Assert.True(p.EvidenceIntact));
        Assert.True(produced.Single(p => p.Post.Record.ContentId == "req-2").LegalHold);
        Assert.Equal("2001:db8::7", produced[0].Post.Record.SourceIp);
    }

    [Fact]
    public async Task A_lawful_request_streams_record_by_record_and_stops_when_cancelled()
    {
        await Store.SaveAsync([Post("stream-1"), Post("stream-2"), Post("stream-3")], default);
        using var stop = new CancellationTokenSource();
        var read = new List<string>();

        var reading = async () =>
        {
            await foreach (var r in Store.ProduceAsync(new RecordQuery("store-test", From: Now.AddMinutes(-2), To: Now), stop.Token))
            {
                read.Add(r.Post.Record.ContentId);
                await stop.CancelAsync();
            }
        };

        // The first record was handed over before the rest were read; the cancelled token ends the stream there.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(reading);
        Assert.Single(read);
    }

    [Fact]
    public async Task An_incident_hold_keeps_expired_records_through_the_purge()
    {
        var old = Now.AddDays(-61);
        await Store.SaveAsync([Post("incident-1", now: old), Post("incident-2", now: old)], default);

        Assert.Equal(1, await Store.PlaceLegalHoldAsync(new RecordQuery("store-test", ContentId: "incident-1"), default));
        await Store.PurgeExpiredAsync(Now, default);

        Assert.NotNull(await Store.FindAsync("store-test", "incident-1", 1, default));
        Assert.Null(await Store.FindAsync("store-test", "incident-2", 1, default));
    }
}
