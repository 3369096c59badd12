using Moderation.Contracts;

namespace Moderation.Core.Policy;

/// <summary>
/// Combines keyword, detector and model evidence per category into pass / quarantine / block. The
/// strongest category wins; every category that reached quarantine or block is named on the decision.
/// Lexicon hits and detector hits (<see cref="KeywordHit.Kind"/> set) have thresholds of their own, so an
/// operator can trust the lexicon and the detectors differently per category.
/// </summary>
public static class DecisionPolicy
{
    public static PolicyDecision Decide(PolicyOptions options, IReadOnlyList<KeywordHit> hits, IReadOnlyList<CategoryScore> modelScores)
    {
        var levels = new SortedDictionary<int, int>();
        var reasons = new List<string>();
        var cues = hits.Where(h => HitKinds.Of(h) == HitKinds.Context).ToList();
        var lowered = new SortedDictionary<int, (int, string)>();

        // Lexicon hits first, then bank matches, lures and listed domains, then contacts: the first hit that raises a
        // category is its reason, and "lure 百家乐" says more than "contact QQ" (the order is stable within a kind).
        foreach (var hit in hits.OrderBy(KindRank))
        {
            var kind = HitKinds.Of(hit);
            if (kind == HitKinds.Context)
                continue;
            var p = options.For(hit.Category);
            var detector = kind != HitKinds.Keyword;
            var block = detector ? p.DetectorBlockSeverity : p.KeywordBlockSeverity;
            var review = detector ? p.DetectorReviewSeverity : p.KeywordReviewSeverity;
            var level = hit.Severity >= block ? 2 : hit.Severity >= review ? 1 : 0;
            if (kind == HitKinds.Keyword)
                level = Lower(level, hit.Category, p, cues, lowered);
            if (Raise(levels, hit.Category, level))
            {
                reasons.Add(kind == HitKinds.Bank
                    ? $"{hit.Category}: bank match {hit.Term} '{hit.Matched}' severity {hit.Severity} -> {Name(level)}"
                    : detector
                    ? $"{hit.Category}: {kind}/{(kind == HitKinds.Contact ? hit.Term : hit.SubLabel)} '{hit.Matched}' severity {hit.Severity} -> {Name(level)}"
                    : $"{hit.Category}: keyword '{hit.Term}' severity {hit.Severity} -> {Name(level)}");
            }
        }

        foreach (var score in modelScores)
        {
            var p = options.For(score.Category);
            var level = score.Score >= p.ModelBlockThreshold ? 2 : score.Score >= p.ModelReviewThreshold ? 1 : 0;
            level = Lower(level, score.Category, p, cues, lowered);
            if (Raise(levels, score.Category, level))
                reasons.Add($"{score.Category}: model score {score.Score:0.000} -> {Name(level)}");
        }

        foreach (var (category, (steps, cue)) in lowered)
            reasons.Add($"{category}: keyword and model evidence {(steps == 2 ? "two steps" : "one step")} lower: warning or report context '{cue}'");

        var top = levels.Count == 0 ? 0 : levels.Values.Max();
        if (top == 0)
            return PolicyDecision.Pass;
        var categories = levels.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToArray();
        return new PolicyDecision(Name(top), categories, reasons);
    }

    // As in the detector: one cue lowers one step, two different cues (警惕 … 千万别信) two steps. Report cues
    // (sub-label "counter") lower every category that opts in; advice cues ("warning") only where
    // WarningContextLowers is set too (not for rumours, which are warnings in form).
    private static int Lower(int level, int category, CategoryPolicy policy, List<KeywordHit> cues, SortedDictionary<int, (int, string)> lowered)
    {
        if (level == 0 || cues.Count == 0 || !policy.CounterContextLowers)
            return level;
        var applying = cues.Where(c => policy.WarningContextLowers || !string.Equals(c.SubLabel, HitKinds.WarningCue, StringComparison.Ordinal)).ToList();
        var distinct = applying.Select(c => c.Term).Distinct(StringComparer.Ordinal).Count();
        if (distinct == 0)
            return level;
        var steps = distinct >= 2 ? 2 : 1;
        lowered[category] = (steps, applying[0].Matched);
        return Math.Max(0, level - steps);
    }

    private static int KindRank(KeywordHit hit) => HitKinds.Of(hit) switch
    {
        HitKinds.Keyword => 0,
        HitKinds.Bank => 1,
        HitKinds.Lure => 2,
        HitKinds.Domain => 3,
        _ => 4,
    };

    private static bool Raise(SortedDictionary<int, int> levels, int category, int level)
    {
        if (level == 0)
            return false;
        levels.TryGetValue(category, out var current);
        if (level <= current)
            return false;
        levels[category] = level;
        return true;
    }

    private static string Name(int level) => level switch
    {
        2 => ModerationActions.Block,
        1 => ModerationActions.Quarantine,
        _ => ModerationActions.Pass,
    };
}
