using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;

namespace Moderation.Core.Tests.Decisions;

public sealed class ModerationEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);

    private sealed class StubClassifier(string kind, string version, params KeywordHit[] hits) : IContentClassifier
    {
        public string Kind => kind;
        public List<string> Seen { get; } = [];
        public ClassifierResult Classify(string text)
        {
            Seen.Add(text);
            return new ClassifierResult(kind, version, hits, kind == ClassifierKinds.Model ? [new CategoryScore(4, null, 0.99, "model")] : []);
        }
    }

    /// <summary>A classifier that checks links, as the detector does.</summary>
    private sealed class UrlClassifier : IContentClassifier
    {
        public string Kind => ClassifierKinds.Detector;
        public List<IReadOnlyList<string>> SeenUrls { get; } = [];
        public ClassifierResult Classify(string text) => Classify(text, []);
        public ClassifierResult Classify(string text, IReadOnlyList<string> urls)
        {
            SeenUrls.Add(urls);
            return ClassifierResult.Empty(Kind, "det-1");
        }
    }

    private static PostRecord Post(long version = 1) => PostIntake.Accept(new ContentPublished
    {
        Platform = "p", ContentId = "c", Version = version, ServiceType = "forum", AuthorId = "a",
        Title = "T", Body = "body", PublishedAt = Now, SourceIp = "192.0.2.1",
    }, new IntakeOptions(), Now);

    [Fact]
    public void Every_classifier_sees_title_and_body_and_its_version_is_on_the_decision()
    {
        var keywords = new StubClassifier(ClassifierKinds.Keyword, "lex-abc", new KeywordHit("x", 9, "drugs", 3, 2, 3, "x"));
        var model = new StubClassifier(ClassifierKinds.Model, "model-7");
        var d = new ModerationEngine([keywords, model]).Decide(Post(), new PolicyOptions { Version = "pol-1" }, Now);

        Assert.Equal(["T\nbody"], keywords.Seen);
        Assert.Equal(("lex-abc", "model-7", "pol-1"), (d.LexiconVersion, d.ModelVersion, d.PolicyVersion));
        Assert.Equal(ModerationActions.Block, d.Action);
        Assert.Equal([4, 9], d.Categories);
    }

    [Fact]
    public void Decision_id_is_stable_per_version_and_differs_between_versions()
    {
        var engine = new ModerationEngine([]);
        var a = engine.Decide(Post(1), new PolicyOptions(), Now).DecisionId;
        Assert.Equal(a, engine.Decide(Post(1), new PolicyOptions(), Now.AddHours(1)).DecisionId);
        Assert.NotEqual(a, engine.Decide(Post(2), new PolicyOptions(), Now).DecisionId);
    }

    [Fact]
    public void Derived_ids_are_rfc_9562_version_8_with_the_standard_variant()
    {
        var id = DeterministicIds.Decision("p", "c", 1);
        Assert.Equal(8, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        Assert.Equal(8, DeterministicIds.For(id, "takedown").Version);
    }

    [Fact]
    public void Block_emits_moderated_takedown_and_preservation_with_stable_message_ids()
    {
        var post = Post();
        var d = new ModerationEngine([new StubClassifier(ClassifierKinds.Keyword, "v", new KeywordHit("x", 7, "gambling", 3, 0, 1, "x"))])
            .Decide(post, new PolicyOptions(), Now);
        var events = DecisionEvents.For(post, d, "sha");
        Assert.Equal([typeof(ContentModerated), typeof(TakedownRequested), typeof(RecordPreservationRequested)], events.Select(e => e.Message.GetType()));
        Assert.Equal(events.Select(e => e.MessageId), DecisionEvents.For(post, d, "sha").Select(e => e.MessageId));
        Assert.Equal(3, events.Select(e => e.MessageId).Distinct().Count());
        var takedown = (TakedownRequested)events[1].Message;
        Assert.Equal([7], takedown.Categories);
        Assert.Equal("auto", takedown.RequestedBy);
    }

    [Fact]
    public void Quarantine_emits_moderated_and_quarantined_only()
    {
        var post = Post();
        var d = new ModerationEngine([new StubClassifier(ClassifierKinds.Keyword, "v", new KeywordHit("x", 8, null, 1, 0, 1, "x"))])
            .Decide(post, new PolicyOptions(), Now);
        Assert.Equal([typeof(ContentModerated), typeof(ContentQuarantined)], DecisionEvents.For(post, d, "sha").Select(e => e.Message.GetType()));
    }

    [Fact]
    public void Evidence_snapshot_round_trips_and_its_hash_covers_the_content()
    {
        var post = Post();
        var d = new ModerationEngine([]).Decide(post, new PolicyOptions(), Now);
        var (json, sha) = EvidenceSnapshot.Create(post, d);
        var (record, decision) = EvidenceSnapshot.Read(json);
        Assert.Equal(post.Text, record.Text);
        Assert.Equal(post.SourceIp, record.SourceIp);
        Assert.Equal(d.DecisionId, decision.DecisionId);
        Assert.Equal(PostIntake.Sha256Hex(json), sha);
        Assert.NotEqual(sha, EvidenceSnapshot.Create(post with { Body = "other" }, d).Sha256);
    }

    [Fact]
    public void Detectors_see_the_posts_urls_and_their_version_joins_the_lexicon_version_not_the_model_version()
    {
        var post = Post() with { Urls = ["https://example.com/a"] };
        var detector = new UrlClassifier();
        var d = new ModerationEngine([new StubClassifier(ClassifierKinds.Keyword, "lex-abc"), detector, new StubClassifier(ClassifierKinds.Model, "model-7")])
            .Decide(post, new PolicyOptions { Version = "pol-1" }, Now);

        Assert.Equal(["https://example.com/a"], Assert.Single(detector.SeenUrls));
        Assert.Equal(("lex-abc+det-1", "model-7"), (d.LexiconVersion, d.ModelVersion));
    }

    [Fact]
    public void A_keyword_hit_serialises_without_a_kind_so_stored_decisions_keep_their_shape()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new KeywordHit("x", 9, null, 3, 0, 1, "x"));
        Assert.DoesNotContain("Kind", json, StringComparison.Ordinal);
        var back = System.Text.Json.JsonSerializer.Deserialize<KeywordHit>("{\"Term\":\"x\",\"Category\":9,\"SubLabel\":null,\"Severity\":3,\"Start\":0,\"End\":1,\"Matched\":\"x\"}")!;
        Assert.Equal(HitKinds.Keyword, HitKinds.Of(back));
        var lure = System.Text.Json.JsonSerializer.Serialize(new KeywordHit("x", 7, "gambling", 2, 0, 1, "x", HitKinds.Lure));
        Assert.Contains("\"Kind\":\"lure\"", lure, StringComparison.Ordinal);
    }
}
