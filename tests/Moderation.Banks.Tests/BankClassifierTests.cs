using Moderation.Banks;
using Moderation.Core.Policy;

namespace Moderation.Banks.Tests;

public sealed class BankClassifierTests
{
    [Fact]
    public void A_match_becomes_a_hit_the_decision_policy_acts_on_with_the_banks_action()
    {
        var provider = new BankIndexProvider(BankIndex.Build(
        [
            new BankEntry("scam-scripts", "Scam scripts", 42, 9, "fraud", BankAction.Block, 0.5, Texts.Pool[3]),
            new BankEntry("rumours", "Rumours", 7, 6, "rumour", BankAction.Quarantine, 0.5, Texts.Pool[0]),
        ]));
        var classifier = new BankClassifier(provider);
        var post = "转给大家看看：" + Texts.Variant(Texts.Pool[3]);

        var result = classifier.Classify(post);

        Assert.Equal("bank", result.Kind);
        Assert.Equal(provider.Current.Version, result.Version);
        var hit = Assert.Single(result.Hits);
        Assert.Equal(9, hit.Category);
        Assert.Equal("fraud", hit.SubLabel);
        Assert.Equal(3, hit.Severity);
        Assert.StartsWith("bank:scam-scripts#42@", hit.Term, StringComparison.Ordinal);
        Assert.Equal(post[hit.Start..hit.End], hit.Matched);
        var score = Assert.Single(result.Scores);
        Assert.Equal((9, "bank"), (score.Category, score.Source));

        var decision = DecisionPolicy.Decide(new PolicyOptions(), result.Hits, []);
        Assert.Equal("block", decision.Action);

        var rumour = classifier.Classify(Texts.Variant(Texts.Pool[0]));
        Assert.Equal(2, Assert.Single(rumour.Hits).Severity);
        Assert.Equal("quarantine", DecisionPolicy.Decide(new PolicyOptions(), rumour.Hits, []).Action);
    }

    [Fact]
    public void A_post_that_matches_nothing_gives_no_evidence_and_still_names_the_version()
    {
        var provider = new BankIndexProvider(BankIndex.Build([Texts.Entry(0)]));
        var result = new BankClassifier(provider).Classify("今天天气不错，下午去公园走了走，晚饭吃的面条，味道一般。");
        Assert.Empty(result.Hits);
        Assert.Empty(result.Scores);
        Assert.Equal(provider.Current.Version, result.Version);
    }
}
