using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Detection.Hosting;

namespace Moderation.Detection;

/// <summary>
/// The solicitation detector behind the worker's classifier abstraction (kind <c>detector</c>: its
/// version joins the decision's lexicon version). Each call reads the current rules once, so its hits
/// and its version always belong to the same rule set. Score per category = highest severity / 3.
/// </summary>
public sealed class SolicitationClassifier(DetectorRulesProvider provider, IOptions<DetectionOptions> options) : IContentClassifier
{
    private readonly int _contactCategory = options.Value.ContactCategory;
    private readonly HashSet<int> _contactCategories = [.. options.Value.ResolvedContactCategories()];
    private readonly bool _defaultSettings = options.Value.ContactCategory == SolicitationDetector.DefaultContactCategory
        && options.Value.ResolvedContactCategories().Order().SequenceEqual(SolicitationDetector.DefaultContactCategories.Order());

    public string Kind => ClassifierKinds.Detector;

    public ClassifierResult Classify(string text) => Classify(text, []);

    public ClassifierResult Classify(string text, IReadOnlyList<string> urls)
    {
        var rules = provider.Current;
        var result = urls.Count == 0 && _defaultSettings
            ? SolicitationDetector.DetectText(rules, text ?? string.Empty)
            : SolicitationDetector.Detect(rules, text, urls, _contactCategory, _contactCategories);
        if (result.Hits.Count == 0)
        {
            return ClassifierResult.Empty(Kind, rules.Version);
        }

        var scores = new List<CategoryScore>();
        foreach (var group in result.Hits.Where(h => h.Kind != HitKinds.Context).GroupBy(h => h.Category))
        {
            var top = group.Where(h => h.Kind != HitKinds.Contact).DefaultIfEmpty(group.First()).MaxBy(h => h.Severity)!;
            scores.Add(new CategoryScore(group.Key, top.SubLabel, group.Max(h => h.Severity) / 3.0, ClassifierKinds.Detector));
        }

        return new ClassifierResult(Kind, rules.Version, result.Hits, scores);
    }
}
