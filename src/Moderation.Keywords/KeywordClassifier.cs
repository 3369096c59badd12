using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;

namespace Moderation.Keywords;

/// <summary>
/// The keyword engine behind the worker's classifier abstraction. Each call reads the current
/// engine once, so its hits and its version always belong to the same lexicon set.
/// Score per category = highest hit severity / 3. At most <paramref name="maxHitsPerTerm"/> hits per
/// (term, category) are listed; the rest are counted in <see cref="ClassifierResult.HitsOmitted"/>.
/// </summary>
public sealed class KeywordClassifier(KeywordEngineProvider provider, int maxHitsPerTerm = KeywordEngine.DefaultMaxHitsPerTerm) : IContentClassifier, ILoadsInBackground
{
    public string Kind => ClassifierKinds.Keyword;

    public Task WhenReady => provider.WhenReady;

    public string Version => provider.Current.Version;

    public ClassifierResult Classify(string text)
    {
        var engine = provider.Current;
        var (hits, omitted) = engine.Find(text ?? string.Empty, maxHitsPerTerm);
        if (hits.Count == 0)
        {
            return ClassifierResult.Empty(Kind, engine.Version);
        }

        var scores = new List<CategoryScore>();
        foreach (var group in hits.GroupBy(h => h.Category))
        {
            var top = group.MaxBy(h => h.Severity)!;
            scores.Add(new CategoryScore(group.Key, top.SubLabel, top.Severity / 3.0, ClassifierKinds.Keyword));
        }

        return new ClassifierResult(Kind, engine.Version, hits, scores, omitted);
    }
}
