using Moderation.Contracts;
using Moderation.Core.Classification;

namespace Moderation.Integration.Tests.Infrastructure;

/// <summary>
/// Flags two made-up markers so worker tests control the outcome without depending on what the
/// shipped lexicon or model happen to say: ZZBLOCKZZ (9/drugs, high) and ZZREVIEWZZ (7/gambling, low).
/// </summary>
public sealed class MarkerClassifier : IContentClassifier
{
    public const string Block = "ZZBLOCKZZ";
    public const string Review = "ZZREVIEWZZ";

    public string Kind => ClassifierKinds.Keyword;

    public ClassifierResult Classify(string text)
    {
        var hits = new List<KeywordHit>();
        Find(text, Block, 9, "drugs", 3, hits);
        Find(text, Review, 7, "gambling", 1, hits);
        return new ClassifierResult(Kind, "markers-1", hits, []);
    }

    private static void Find(string text, string marker, int category, string subLabel, int severity, List<KeywordHit> hits)
    {
        for (var i = text.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + 1, StringComparison.Ordinal))
            hits.Add(new KeywordHit(marker, category, subLabel, severity, i, i + marker.Length, marker));
    }
}
