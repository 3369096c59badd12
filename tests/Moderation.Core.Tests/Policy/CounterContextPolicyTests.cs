using Moderation.Contracts;
using Moderation.Core.Policy;

namespace Moderation.Core.Tests.Policy;

/// <summary>A warning or report about the offence lowers lexicon and model evidence where a category opts in.</summary>
public sealed class CounterContextPolicyTests
{
    private static readonly PolicyOptions Options = new()
    {
        Default = new CategoryPolicy { KeywordBlockSeverity = 3, KeywordReviewSeverity = 1, ModelBlockThreshold = 0.95, ModelReviewThreshold = 0.5 },
        Categories =
        {
            ["6"] = new CategoryPolicy { KeywordBlockSeverity = 3, KeywordReviewSeverity = 1, CounterContextLowers = true, WarningContextLowers = false },
            ["9"] = new CategoryPolicy { KeywordBlockSeverity = 3, KeywordReviewSeverity = 1, ModelBlockThreshold = 0.95, ModelReviewThreshold = 0.5, CounterContextLowers = true, WarningContextLowers = true },
        },
    };

    private static KeywordHit Keyword(int category, int severity) => new("冰毒", category, null, severity, 0, 2, "冰毒");

    private static KeywordHit Cue(string phrase, string kind) => new(phrase, 0, kind, 0, 10, 10 + phrase.Length, phrase, HitKinds.Context);

    private static CategoryScore Score(int category, double score) => new(category, null, score, "model");

    [Fact]
    public void One_report_cue_turns_a_keyword_block_into_a_quarantine_and_says_why()
    {
        var d = DecisionPolicy.Decide(Options, [Keyword(9, 3), Cue("判决", "counter")], []);
        Assert.Equal(ModerationActions.Quarantine, d.Action);
        Assert.Contains(d.Reasons, r => r.Contains("one step lower", StringComparison.Ordinal) && r.Contains("判决", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_different_cues_lower_two_steps_and_the_same_cue_twice_counts_once()
    {
        Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(Options, [Keyword(9, 3), Cue("害人", "counter"), Cue("千万别碰", "warning")], []).Action);
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(Options, [Keyword(9, 3), Cue("害人", "counter"), Cue("害人", "counter")], []).Action);
    }

    [Fact]
    public void Model_scores_are_lowered_like_keywords()
    {
        Assert.Equal(ModerationActions.Block, DecisionPolicy.Decide(Options, [], [Score(9, 0.97)]).Action);
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(Options, [Cue("骗局", "counter")], [Score(9, 0.97)]).Action);
        Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(Options, [Cue("骗局", "counter")], [Score(9, 0.6)]).Action);
    }

    [Fact]
    public void A_category_that_does_not_opt_in_is_not_lowered()
    {
        Assert.Equal(ModerationActions.Block, DecisionPolicy.Decide(Options, [Keyword(4, 3), Cue("骗局", "counter")], []).Action);
    }

    [Fact]
    public void Warning_cues_do_not_lower_rumours_but_a_debunk_does()
    {
        Assert.Equal(ModerationActions.Block, DecisionPolicy.Decide(Options, [Keyword(6, 3), Cue("千万别喝", "warning")], []).Action);
        Assert.Equal(ModerationActions.Quarantine, DecisionPolicy.Decide(Options, [Keyword(6, 3), Cue("辟谣", "counter")], []).Action);
    }

    [Fact]
    public void A_cue_alone_raises_nothing()
    {
        Assert.Equal(ModerationActions.Pass, DecisionPolicy.Decide(Options, [Cue("骗局", "counter")], []).Action);
    }
}
