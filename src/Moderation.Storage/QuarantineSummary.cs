using Moderation.Core.Decisions;

namespace Moderation.Storage;

/// <summary>The sort and filter keys of a quarantine entry, derived once at write time so the queue query stays an index scan.</summary>
internal sealed record QuarantineSummary(int MaxSeverity, double TopScore, string[] SubLabels)
{
    public static QuarantineSummary From(ModerationDecision d)
    {
        var categories = d.Categories.ToHashSet();
        var hits = d.Hits.Where(h => categories.Contains(h.Category)).ToList();
        var scores = d.Scores.Where(s => categories.Contains(s.Category)).ToList();
        var subLabels = hits.Select(h => h.SubLabel).Concat(scores.Select(s => s.SubLabel))
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new QuarantineSummary(
            hits.Count == 0 ? 0 : hits.Max(h => h.Severity),
            scores.Count == 0 ? 0 : scores.Max(s => s.Score),
            subLabels);
    }
}
