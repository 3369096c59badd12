namespace Moderation.Keywords.Lexicons;

/// <summary>
/// Everything loaded from the configured lexicon files: terms, allow-list phrases and the content
/// hash that every decision carries as its lexicon version. Immutable.
/// </summary>
public sealed record LexiconSet(
    IReadOnlyList<LexiconEntry> Entries,
    IReadOnlyList<string> AllowPhrases,
    IReadOnlyList<string> Files,
    string Version);
