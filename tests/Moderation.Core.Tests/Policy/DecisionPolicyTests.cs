using Moderation.Contracts;
using Moderation.Core.Policy;

namespace Moderation.Core.Tests.Policy;

public sealed class DecisionPolicyTests
{
    private static readonly PolicyOptions Options = new()
    {
        Default = new CategoryPolicy { KeywordBlockSeverity = 3, KeywordReviewSeverity = 2, ModelBlockThreshold = 0.95, ModelReviewThreshold = 0.5 },
        Categories = { ["8"] = new CategoryPolicy { KeywordBlockSeverity = 4, KeywordReviewSeverity = 1, ModelBlockThreshold = 1.01, ModelReviewThreshold = 0.7 } },
    };

    private static KeywordHit Hit(int category, int severity) => new("t", category, null, severity, 0, 1, "t");

    private static CategoryScore Score(int category, double score) => new(category, null, score, "model");

    [Fact]
    public void Nothing_found_passes() => Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(Options, [], []).Action);

    [Fact]
    public void High_severity_keyword_blocks_and_names_the_category()
    {
        var d = DecisionPolicy.Decide(Options, [Hit(9, 3)], []);
        Assert.Equal(ModerationActions.Block, d.Action);
        Assert.Equal([9], d.Categories);
    }

    [Fact]
    public void Medium_keyword_quarantines_low_keyword_below_review_passes()
    {
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(Options, [Hit(7, 2)], []).Action);
        Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(Options, [Hit(7, 1)], []).Action);
    }

    [Fact]
    public void Category_override_never_blocks_insults_by_keyword()
    {
        var d = DecisionPolicy.Decide(Options, [Hit(8, 3)], []);
        Assert.Equal(ModerationActions.Quarantine, d.Action);
    }

    [Fact]
    public void Model_scores_between_thresholds_quarantine_above_block_threshold_block()
    {
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(Options, [], [Score(4, 0.6)]).Action);
        Assert.Equal(ModerationActions.Block, DecisionPolicy.Decide(Options, [], [Score(4, 0.96)]).Action);
        Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(Options, [], [Score(4, 0.49)]).Action);
    }

    [Fact]
    public void Strongest_category_wins_and_all_flagged_categories_are_listed()
    {
        var d = DecisionPolicy.Decide(Options, [Hit(8, 1)], [Score(4, 0.99)]);
        Assert.Equal(ModerationActions.Block, d.Action);
        Assert.Equal([4, 8], d.Categories);
        Assert.Equal(2, d.Reasons.Count);
    }

    [Fact]
    public void Validator_rejects_unknown_category_and_inverted_thresholds()
    {
        var bad = new PolicyOptions
        {
            Categories =
            {
                ["10"] = new CategoryPolicy(),
                ["4"] = new CategoryPolicy { ModelReviewThreshold = 0.9, ModelBlockThreshold = 0.5 },
            },
        };
        var result = new PolicyOptionsValidator().Validate(null, bad);
        Assert.True(result.Failed);
        Assert.Contains("Categories:10 is not a clause-1.3 category", result.FailureMessage);
        Assert.Contains("is below ModelReviewThreshold", result.FailureMessage);
    }

    [Fact]
    public void Detector_hits_use_the_detector_thresholds_not_the_keyword_ones()
    {
        var options = new PolicyOptions
        {
            Default = new CategoryPolicy { KeywordBlockSeverity = 3, KeywordReviewSeverity = 1, DetectorBlockSeverity = 3, DetectorReviewSeverity = 2 },
            Categories = { ["6"] = new CategoryPolicy { DetectorBlockSeverity = 4, DetectorReviewSeverity = 2 } },
        };
        KeywordHit Detected(int category, int severity, string kind) => new("t", category, "x", severity, 0, 1, "t", kind);

        // A lexicon hit of severity 1 quarantines; a detector hit of severity 1 (a phone number alone) does not.
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(options, [Hit(9, 1)], []).Action);
        Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(options, [Detected(9, 1, HitKinds.Contact)], []).Action);
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(options, [Detected(7, 2, HitKinds.Lure)], []).Action);
        var block = DecisionPolicy.Decide(options, [Detected(7, 3, HitKinds.Lure)], []);
        Assert.Equal(ModerationActions.Block, block.Action);
        Assert.StartsWith("7: lure/x 't' severity 3 -> block", Assert.Single(block.Reasons), StringComparison.Ordinal);
        // Category 6 never blocks on detector evidence: a person decides on a rumour.
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(options, [Detected(6, 3, HitKinds.Lure)], []).Action);
    }

    [Fact]
    public void A_validator_refuses_detector_severities_outside_1_to_4()
    {
        var options = new PolicyOptions { Version = "v", Default = new CategoryPolicy { DetectorReviewSeverity = 0, DetectorBlockSeverity = 5 } };
        var result = new PolicyOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("DetectorReviewSeverity", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("DetectorBlockSeverity", StringComparison.Ordinal));
    }

    [Fact]
    public void A_lure_explains_a_category_before_a_contact_of_the_same_post()
    {
        var contact = new KeywordHit("qq", 7, "contact", 3, -1, -1, "2875593104", HitKinds.Contact);
        var lure = new KeywordHit("百家乐", 7, "gambling", 3, 5, 8, "百家乐", HitKinds.Lure);
        var d = DecisionPolicy.Decide(new PolicyOptions(), [contact, lure], []);
        Assert.Equal(["7: lure/gambling '百家乐' severity 3 -> block"], d.Reasons);
    }
}
