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

        // Lexicon hits first, then bank matches, lures and listed domains, then contacts: the first hit that raises a
        // category is its reason, and "lure 百家乐" says more than "contact QQ" (the order is stable within a kind).
        foreach (var hit in hits.OrderBy(KindRank))
        {
            var p = options.For(hit.Category);
            var kind = HitKinds.Of(hit);
            var detector = kind != HitKinds.Keyword;
            var block = detector ? p.DetectorBlockSeverity : p.KeywordBlockSeverity;
            var review = detector ? p.DetectorReviewSeverity : p.KeywordReviewSeverity;
            var level = hit.Severity >= block ? 2 : hit.Severity >= review ? 1 : 0;
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
            if (Raise(levels, score.Category, level))
                reasons.Add($"{score.Category}: model score {score.Score:0.000} -> {Name(level)}");
        }

        var top = levels.Count == 0 ? 0 : levels.Values.Max();
        if (top == 0)
            return PolicyDecision.Pass;
        var categories = levels.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToArray();
        return new PolicyDecision(Name(top), categories, reasons);
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
