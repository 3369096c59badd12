using Moderation.Contracts;
using Moderation.Core.Classification;

namespace Moderation.Banks;

/// <summary>
/// The banks behind the worker's classifier abstraction: one hit per matched bank, its severity from the
/// bank's action (block → 3, quarantine → 2, so the keyword thresholds of <c>DecisionPolicy</c> act on it
/// as they do on a lexicon hit), its offsets the overlapping span of the post; and one score per category
/// (the best similarity). Each call reads the provider's index once, so hits and version belong together.
/// </summary>
public sealed class BankClassifier(BankIndexProvider provider) : IContentClassifier
{
    /// <summary>The classifier kind and the source of its scores.</summary>
    public const string KindName = "bank";

    public string Kind => KindName;

    public ClassifierResult Classify(string text)
    {
        var (index, sequence) = provider.Snapshot;
        var version = VersionOf(index, sequence);
        var matches = index.Match(text ?? string.Empty);
        if (matches.Count == 0)
        {
            return ClassifierResult.Empty(Kind, version);
        }

        var hits = new List<KeywordHit>(matches.Count);
        var scores = new List<CategoryScore>();
        foreach (var m in matches)
        {
            var e = m.Entry;
            hits.Add(new KeywordHit(Term(m), e.Category, e.SubLabel, Severity(e.Action), m.Start, m.End, text![m.Start..m.End], HitKinds.Bank));
            // Matches come best first, so the first per category is its score.
            if (!scores.Exists(s => s.Category == e.Category))
            {
                scores.Add(new CategoryScore(e.Category, e.SubLabel, m.Similarity, KindName));
            }
        }

        return new ClassifierResult(Kind, version, hits, scores);
    }

    /// <summary>
    /// The bank version a decision records: "&lt;change sequence&gt;:&lt;index digest&gt;" when the index came from the
    /// database (replay rebuilds the banks as of that sequence and checks the digest), else the digest alone.
    /// </summary>
    public static string VersionOf(BankIndex index, long sequence) =>
        sequence > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sequence}:{index.Version}") : index.Version;

    /// <summary>The change sequence of a recorded bank version, or null when it has none (see <see cref="VersionOf"/>).</summary>
    public static long? SequenceOf(string? bankVersion)
    {
        var colon = bankVersion?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && long.TryParse(bankVersion.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    public static int Severity(BankAction action) => action == BankAction.Block ? 3 : 2;

    /// <summary>How the hit names its evidence: bank, entry and similarity, e.g. "bank:scam-scripts#42@0.83".</summary>
    public static string Term(BankMatch match) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"bank:{match.Entry.BankId}#{match.Entry.EntryId}@{match.Similarity:0.00}");
}
