using System.Text.Json.Nodes;
using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;

namespace Moderation.Core.Tests.Decisions;

/// <summary>Hits left out by a classifier's cap are counted on the decision, said in its reasons, and carried by the event.</summary>
public sealed class HitsOmittedTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);

    private sealed class CappedClassifier : IContentClassifier
    {
        public string Kind => ClassifierKinds.Keyword;

        public ClassifierResult Classify(string text) =>
            new(Kind, "lex-1", [new KeywordHit("傻逼", 8, "insult", 2, 0, 2, "傻逼")], [], HitsOmitted: 49_999);
    }

    private static PostRecord Post() => PostIntake.Accept(new ContentPublished
    {
        Platform = "p", ContentId = "c", ServiceType = "forum", AuthorId = "a",
        Body = "傻逼", PublishedAt = Now, SourceIp = "192.0.2.1",
    }, new IntakeOptions(), Now);

    [Fact]
    public void Decision_counts_and_explains_the_omitted_hits_and_the_event_carries_the_count()
    {
        var post = Post();
        var d = new ModerationEngine([new CappedClassifier()]).Decide(post, new PolicyOptions(), Now);

        Assert.Equal(49_999, d.HitsOmitted);
        Assert.Contains(d.Reasons, r => r.StartsWith("49999 more keyword hits found and not listed", StringComparison.Ordinal));
        Assert.Equal(49_999, DecisionEvents.Moderated(post, d).HitsOmitted);

        var (json, _) = EvidenceSnapshot.Create(post, d);
        Assert.Equal(49_999, EvidenceSnapshot.Read(json).Decision.HitsOmitted);
    }

    [Fact]
    public void A_snapshot_stored_before_the_count_existed_reads_as_nothing_omitted()
    {
        var post = Post();
        var d = new ModerationEngine([new CappedClassifier()]).Decide(post, new PolicyOptions(), Now);
        var node = JsonNode.Parse(EvidenceSnapshot.Create(post, d).Json)!;
        Assert.True(node["decision"]!.AsObject().Remove("hitsOmitted"));

        var (_, old) = EvidenceSnapshot.Read(node.ToJsonString());

        Assert.Equal(0, old.HitsOmitted);
        Assert.Equal(d.Hits, old.Hits);
    }
}
