using Moderation.Contracts;
using Moderation.Keywords.Lexicons;
using Moderation.Keywords.Normalization;

namespace Moderation.Keywords.Engine;

/// <summary>
/// What one scan found: hits with original offsets, how many more were found but not listed (the cap
/// per term and category), and the text with every hit masked, listed or not.
/// </summary>
public sealed record KeywordScanResult(IReadOnlyList<KeywordHit> Hits, string MaskedText, int HitsOmitted = 0);

/// <summary>Hits in text order, and how many more were found beyond the cap per term and category.</summary>
public sealed record KeywordFindings(IReadOnlyList<KeywordHit> Hits, int HitsOmitted);

/// <summary>
/// A compiled, immutable lexicon set: the automaton plus what each pattern means. Safe to share
/// across threads; hot reload builds a new one and swaps the reference.
/// </summary>
public sealed class KeywordEngine
{
    private readonly Pattern[] _patterns;

    private readonly bool _wordBoundaries;

    // Entry index → one id per (term, category): the unit of the hit cap.
    private readonly int[] _termGroup;

    private KeywordEngine(LexiconSet lexicon, Pattern[] patterns, KeywordAutomaton automaton, bool wordBoundaries)
    {
        Lexicon = lexicon;
        _patterns = patterns;
        Automaton = automaton;
        _wordBoundaries = wordBoundaries;
        var groups = new Dictionary<(string, int), int>();
        _termGroup = new int[lexicon.Entries.Count];
        for (var i = 0; i < _termGroup.Length; i++)
        {
            var e = lexicon.Entries[i];
            if (!groups.TryGetValue((e.Term, e.Category), out var id))
            {
                groups[(e.Term, e.Category)] = id = groups.Count;
            }

            _termGroup[i] = id;
        }
    }

    /// <summary>
    /// Word-boundary checks one scan may run (each segments a dozen characters, tens of µs); past that a
    /// candidate is kept, so a post built of thousands of different look-alike pairs costs milliseconds,
    /// not seconds. Repeated contexts are answered from a per-scan cache and do not count.
    /// </summary>
    public const int MaxBoundaryChecksPerScan = 256;

    public LexiconSet Lexicon { get; }

    public string Version => Lexicon.Version;

    public KeywordAutomaton Automaton { get; }

    public int PatternCount => _patterns.Length;

    /// <summary>
    /// Compiles a lexicon set. With <paramref name="wordBoundaries"/> (the default), a hit of a
    /// two-character Chinese term whose characters sit side by side is dropped when the text's own word
    /// segmentation reads them as the ends of two other words (门口交通 is 门口 + 交通, not 口交); see
    /// <see cref="WordBoundaries"/>.
    /// </summary>
    public static KeywordEngine Compile(LexiconSet lexicon, bool wordBoundaries = true)
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
                patterns.Add(new Pattern(folded, -1, false, false));
            }
        }

        var automaton = KeywordAutomaton.Build(
            [.. patterns.Select(p => p.Folded)],
            [.. patterns.Select(p => p.WholeWord)]);
        return new KeywordEngine(lexicon, [.. patterns], automaton, wordBoundaries);

        void Add(string folded, int entry, bool word)
        {
            if (seen.Add((folded, entry)))
            {
                var pairOfHan = folded.Length == 2 && WordBoundaries.IsHan(folded[0]) && WordBoundaries.IsHan(folded[1]);
                patterns.Add(new Pattern(folded, entry, word, pairOfHan));
            }
        }
    }

    /// <summary>Raw automaton matches for callers that manage their own buffers (benchmarks).</summary>
    public void ScanRaw(ReadOnlySpan<char> text, List<RawMatch> results) => Automaton.Scan(text, results);

    /// <summary>Hits kept per (term, category) when a caller does not say: a moderator needs a few, not 50,000.</summary>
    public const int DefaultMaxHitsPerTerm = 20;

    /// <summary>All hits, allow-listed ones removed, in text order (no cap).</summary>
    public IReadOnlyList<KeywordHit> FindHits(string text) => Find(text, int.MaxValue).Hits;

    /// <summary>
    /// Hits in text order, allow-listed ones removed, at most <paramref name="maxHitsPerTerm"/> per
    /// (term, category) — the first ones; the rest are only counted.
    /// </summary>
    public KeywordFindings Find(string text, int maxHitsPerTerm = DefaultMaxHitsPerTerm) => Collect(text, maxHitsPerTerm, null);

    public KeywordScanResult Scan(string text, int maxHitsPerTerm = int.MaxValue)
    {
        var mask = new char[text.Length];
        var found = Collect(text, maxHitsPerTerm, mask);
        return new KeywordScanResult(found.Hits, found.Hits.Count + found.HitsOmitted == 0 ? text : new string(mask), found.HitsOmitted);
    }

    /// <summary>
    /// Linear in the number of raw matches after one sort: matches are ordered by (start, end), so
    /// duplicates (one entry reached through several spellings) sit in the same short run, and a sweep over the
    /// allow-phrase spans, also ordered by start, with the furthest end seen so far tells whether a hit
    /// lies inside one. (Checking every hit against every allow match was quadratic: 300 KB of one
    /// insult plus one allowed phrase took 3.5 s.)
    /// </summary>
    private KeywordFindings Collect(string text, int maxHitsPerTerm, char[]? mask)
    {
        if (mask is not null)
        {
            text.CopyTo(mask);
        }

        var raw = new List<RawMatch>(0);
        Automaton.Scan(text, raw);
        if (raw.Count == 0)
        {
            return new KeywordFindings([], 0);
        }

        var patterns = _patterns;

        // Sorted by (start, end) on primitive keys: a comparison delegate made a 100,000-hit flood cost 3× more.
        var ordered = raw.ToArray();
        var keys = new long[ordered.Length];
        for (var k = 0; k < ordered.Length; k++)
        {
            keys[k] = ((long)ordered[k].Start << 32) | (uint)ordered[k].End;
        }

        Array.Sort(keys, ordered);

        var allowCount = 0;
        foreach (var m in ordered)
        {
            allowCount += patterns[m.Pattern].Entry < 0 ? 1 : 0;
        }

        var allow = allowCount == 0 ? [] : new RawMatch[allowCount];
        allowCount = 0;
        foreach (var m in ordered)
        {
            if (patterns[m.Pattern].Entry < 0)
            {
                allow[allowCount++] = m;
            }
        }

        var hits = new List<KeywordHit>(Math.Min(raw.Count, 1024));
        var perTerm = new Dictionary<int, int>();
        var omitted = 0;
        var nextAllow = 0;
        var allowReach = -1; // furthest end of an allow span starting at or before the current hit
        Dictionary<(string, int), bool>? boundaryCache = null;
        var boundaryChecks = 0;
        var spanStart = 0; // first match with the current (start, end)
        for (var k = 0; k < ordered.Length; k++)
        {
            var m = ordered[k];
            if (keys[k] != keys[spanStart])
            {
                spanStart = k;
            }

            var entry = patterns[m.Pattern].Entry;
            if (entry < 0 || SeenInSpan(ordered, spanStart, k, entry))
            {
                continue; // an allow phrase, or one entry reached through several spellings
            }

            while (nextAllow < allow.Length && allow[nextAllow].Start <= m.Start)
            {
                allowReach = Math.Max(allowReach, allow[nextAllow++].End);
            }

            if (m.End <= allowReach)
            {
                continue;
            }

            // Side by side in the text (no separators, no repeats): maybe two other words meeting.
            if (_wordBoundaries && patterns[m.Pattern].PairOfHan && m.End - m.Start == 2 && StraddlesWords(text, m.Start, ref boundaryCache, ref boundaryChecks))
            {
                continue;
            }

            var end = ExtendOverRepeats(text, m.End);
            if (mask is not null)
            {
                mask.AsSpan(m.Start, end - m.Start).Fill('*');
            }

            var e = Lexicon.Entries[entry];
            var key = _termGroup[entry];
            var seen = perTerm.GetValueOrDefault(key);
            if (seen >= maxHitsPerTerm)
            {
                omitted++;
                continue;
            }

            perTerm[key] = seen + 1;
            hits.Add(new KeywordHit(e.Term, e.Category, e.SubLabel, e.Severity, m.Start, end, patterns[m.Pattern].Folded));
        }

        hits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        return new KeywordFindings(hits, omitted);
    }

    private bool SeenInSpan(RawMatch[] ordered, int from, int k, int entry)
    {
        for (var j = from; j < k; j++)
        {
            if (_patterns[ordered[j].Pattern].Entry == entry)
            {
                return true;
            }
        }

        return false;
    }

    private static bool StraddlesWords(string text, int start, ref Dictionary<(string, int), bool>? cache, ref int checks)
    {
        if (WordBoundaries.Window(text, start) is not { } window)
        {
            return false;
        }

        cache ??= [];
        if (cache.TryGetValue(window, out var straddles))
        {
            return straddles;
        }

        if (checks >= MaxBoundaryChecksPerScan)
        {
            return false;
        }

        checks++;
        straddles = WordBoundaries.Splits(window.Text, window.Boundary);
        cache[window] = straddles;
        return straddles;
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

    private sealed record Pattern(string Folded, int Entry, bool WholeWord, bool PairOfHan);
}
