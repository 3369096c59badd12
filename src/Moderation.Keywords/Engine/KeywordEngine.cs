using Moderation.Contracts;
using Moderation.Keywords.Lexicons;
using Moderation.Keywords.Normalization;

namespace Moderation.Keywords.Engine;

/// <summary>What one scan found: hits with original offsets and the text with every hit masked.</summary>
public sealed record KeywordScanResult(IReadOnlyList<KeywordHit> Hits, string MaskedText);

/// <summary>
/// A compiled, immutable lexicon set: the automaton plus what each pattern means. Safe to share
/// across threads; hot reload builds a new one and swaps the reference.
/// </summary>
public sealed class KeywordEngine
{
    private readonly Pattern[] _patterns;

    private KeywordEngine(LexiconSet lexicon, Pattern[] patterns, KeywordAutomaton automaton)
    {
        Lexicon = lexicon;
        _patterns = patterns;
        Automaton = automaton;
    }

    public LexiconSet Lexicon { get; }

    public string Version => Lexicon.Version;

    public KeywordAutomaton Automaton { get; }

    public int PatternCount => _patterns.Length;

    public static KeywordEngine Compile(LexiconSet lexicon)
    {
        var patterns = new List<Pattern>();
        var seen = new HashSet<(string, int)>();
        for (var i = 0; i < lexicon.Entries.Count; i++)
        {
            var entry = lexicon.Entries[i];
            var folded = CharFolder.FoldString(entry.Term);
            if (folded.Length == 0)
            {
                continue;
            }

            var latinOnly = folded.All(CharFolder.IsLatinWordChar);
            var word = entry.Flags.HasFlag(TermFlags.LatinWord) || (latinOnly && !entry.Flags.HasFlag(TermFlags.Substring));
            Add(folded, i, word);
            if (entry.Flags.HasFlag(TermFlags.Pinyin))
            {
                foreach (var variant in PinyinVariants.For(folded))
                {
                    Add(variant, i, true);
                }
            }
        }

        foreach (var phrase in lexicon.AllowPhrases)
        {
            var folded = CharFolder.FoldString(phrase);
            if (folded.Length > 0 && seen.Add((folded, -1)))
            {
                patterns.Add(new Pattern(folded, -1, false));
            }
        }

        var automaton = KeywordAutomaton.Build(
            [.. patterns.Select(p => p.Folded)],
            [.. patterns.Select(p => p.WholeWord)]);
        return new KeywordEngine(lexicon, [.. patterns], automaton);

        void Add(string folded, int entry, bool word)
        {
            if (seen.Add((folded, entry)))
            {
                patterns.Add(new Pattern(folded, entry, word));
            }
        }
    }

    /// <summary>Raw automaton matches for callers that manage their own buffers (benchmarks).</summary>
    public void ScanRaw(ReadOnlySpan<char> text, List<RawMatch> results) => Automaton.Scan(text, results);

    /// <summary>All hits, allow-listed ones removed, in text order.</summary>
    public IReadOnlyList<KeywordHit> FindHits(string text)
    {
        var raw = new List<RawMatch>(0);
        Automaton.Scan(text, raw);
        if (raw.Count == 0)
        {
            return [];
        }

        var hasAllow = false;
        foreach (var m in raw)
        {
            hasAllow |= _patterns[m.Pattern].Entry < 0;
        }

        var hits = new List<KeywordHit>(raw.Count);
        var dedupe = new HashSet<(int, int, int)>();
        foreach (var m in raw)
        {
            var p = _patterns[m.Pattern];
            if (p.Entry < 0 || (hasAllow && InsideAllowed(raw, m)) || !dedupe.Add((p.Entry, m.Start, m.End)))
            {
                continue;
            }

            var e = Lexicon.Entries[p.Entry];
            hits.Add(new KeywordHit(e.Term, e.Category, e.SubLabel, e.Severity, m.Start, ExtendOverRepeats(text, m.End), p.Folded));
        }

        hits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        return hits;
    }

    public KeywordScanResult Scan(string text)
    {
        var hits = FindHits(text);
        return new KeywordScanResult(hits, Mask(text, hits));
    }

    /// <summary>The text as the automaton sees it: folded, separators dropped, repeats collapsed.</summary>
    public static string Normalize(string text)
    {
        var folded = CharFolder.FoldString(text);
        var sb = new System.Text.StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (sb.Length == 0 || sb[^1] != c)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string Mask(string text, IReadOnlyList<KeywordHit> hits)
    {
        if (hits.Count == 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, hits), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            foreach (var h in state.hits)
            {
                span[h.Start..h.End].Fill('*');
            }
        });
    }

    /// <summary>The automaton reports a hit at its last needed character; a collapsed run after it (毒毒, kkk) belongs to the hit.</summary>
    private static int ExtendOverRepeats(string text, int end)
    {
        var last = CharFolder.Fold(text[end - 1]);
        if (last is CharFolder.Skip or CharFolder.Expand)
        {
            return end;
        }

        while (end < text.Length && CharFolder.Fold(text[end]) == last)
        {
            end++;
        }

        return end;
    }

    private bool InsideAllowed(List<RawMatch> raw, RawMatch m)
    {
        foreach (var a in raw)
        {
            if (_patterns[a.Pattern].Entry < 0 && a.Start <= m.Start && m.End <= a.End)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Pattern(string Folded, int Entry, bool WholeWord);
}
