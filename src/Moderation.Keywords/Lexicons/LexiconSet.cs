namespace Moderation.Keywords.Lexicons;

/// <summary>
/// Everything loaded from the configured lexicon files: terms, allow-list phrases and the content
/// hash that every decision carries as its lexicon version. <see cref="FileCounts"/>: terms (or allowed
/// phrases) per file path, which a reload compares against the set in force. Immutable.
/// </summary>
public sealed record LexiconSet(
    IReadOnlyList<LexiconEntry> Entries,
    IReadOnlyList<string> AllowPhrases,
    IReadOnlyList<string> Files,
    string Version,
    IReadOnlyDictionary<string, int>? FileCounts = null)
{
    /// <summary>Terms per clause-1.3 category (index 1–9; 0 unused).</summary>
    public int[] CategoryCounts()
    {
        var counts = new int[10];
        foreach (var e in Entries)
        {
            counts[e.Category]++;
        }

        return counts;
    }
}
