using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Moderation.Keywords.Normalization;

namespace Moderation.Keywords.Engine;

/// <summary>One raw automaton hit: pattern index and original UTF-16 span [Start, End).</summary>
public readonly record struct RawMatch(int Pattern, int Start, int End);

/// <summary>
/// Aho-Corasick over a double-array trie, fed straight from the original text through a
/// per-engine 64K class table (char → alphabet code of its folded form, "skip" or "break"), so no
/// normalised string is ever built. A ring buffer of the original positions of the last consumed
/// characters maps every hit back to original offsets. Immutable once built; Scan allocates
/// nothing except what it adds to the caller's list.
/// </summary>
public sealed class KeywordAutomaton
{
    private const int SkipClass = -1;
    private const int SpecialClass = -2;

    private readonly int[] _cls;
    private readonly int[] _base;
    private readonly int[] _check;
    private readonly int[] _fail;
    private readonly int[] _report;
    private readonly int[] _reportNext;
    private readonly int[] _group;
    private readonly ushort[] _depth;
    private readonly int[][] _groups;
    private readonly int[] _patternLength;
    private readonly bool[] _patternWord;
    private readonly FrozenDictionary<char, int> _alphabet;
    private readonly int _ringMask;

    private KeywordAutomaton(
        int[] cls, int[] @base, int[] check, int[] fail, int[] report, int[] reportNext, int[] group,
        ushort[] depth, int[][] groups, int[] patternLength, bool[] patternWord, FrozenDictionary<char, int> alphabet,
        int ringMask, int states)
    {
        _cls = cls;
        _base = @base;
        _check = check;
        _fail = fail;
        _report = report;
        _reportNext = reportNext;
        _group = group;
        _depth = depth;
        _groups = groups;
        _patternLength = patternLength;
        _patternWord = patternWord;
        _alphabet = alphabet;
        _ringMask = ringMask;
        States = states;
    }

    /// <summary>Trie states (nodes).</summary>
    public int States { get; }

    /// <summary>Double-array slots (≥ states; the difference is the packing overhead).</summary>
    public int Slots => _base.Length;

    public int AlphabetSize => _alphabet.Count;

    /// <summary>Bytes held by the compiled tables (class table, double array, links, pattern data).</summary>
    public long MemoryBytes =>
        (long)_cls.Length * 4 + (long)_base.Length * (4 * 7 + 2) + _patternLength.Length * 5L
        + _groups.Sum(g => 24L + g.Length * 4) + _alphabet.Count * 16L;

    /// <summary>
    /// Compiles folded patterns (already passed through <see cref="CharFolder"/>); <paramref name="wholeWord"/>
    /// marks patterns whose neighbours in the original text must not be Latin letters or digits.
    /// </summary>
    public static KeywordAutomaton Build(IReadOnlyList<string> patterns, IReadOnlyList<bool> wholeWord)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(patterns.Count, wholeWord.Count);

        // Alphabet: one dense code per distinct folded character, most frequent first.
        var freq = new Dictionary<char, int>();
        var maxLen = 1;
        foreach (var p in patterns)
        {
            maxLen = Math.Max(maxLen, p.Length);
            foreach (var c in p)
            {
                freq[c] = freq.GetValueOrDefault(c) + 1;
            }
        }

        var alphabet = new Dictionary<char, int>();
        foreach (var (c, _) in freq.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
        {
            alphabet[c] = alphabet.Count + 1;
        }

        // Plain trie first (node 0 = root).
        var edges = new Dictionary<long, int>();
        var nodeDepth = new List<int> { 0 };
        var terminal = new Dictionary<int, List<int>>();
        for (var pi = 0; pi < patterns.Count; pi++)
        {
            var node = 0;
            foreach (var c in patterns[pi])
            {
                var key = ((long)node << 32) | (uint)alphabet[c];
                if (!edges.TryGetValue(key, out var next))
                {
                    next = nodeDepth.Count;
                    nodeDepth.Add(nodeDepth[node] + 1);
                    edges[key] = next;
                }

                node = next;
            }

            if (node == 0)
            {
                continue;
            }

            if (!terminal.TryGetValue(node, out var list))
            {
                terminal[node] = list = [];
            }

            list.Add(pi);
        }

        var nodeCount = nodeDepth.Count;
        var children = new List<(int Code, int Child)>[nodeCount];
        foreach (var (key, child) in edges)
        {
            var parent = (int)(key >> 32);
            (children[parent] ??= []).Add(((int)(uint)key, child));
        }

        var builder = new DoubleArrayBuilder(nodeCount + alphabet.Count + 16);
        var da = new int[nodeCount];
        var order = new List<int>(nodeCount) { 0 };
        for (var qi = 0; qi < order.Count; qi++)
        {
            var node = order[qi];
            var kids = children[node];
            if (kids is null)
            {
                continue;
            }

            kids.Sort((a, b) => a.Code.CompareTo(b.Code));
            var b = builder.Place(da[node], kids);
            foreach (var (code, child) in kids)
            {
                da[child] = b + code;
                order.Add(child);
            }
        }

        var size = builder.Size;
        var bas = builder.Base[..size];
        var check = builder.Check[..size];
        var fail = new int[size];
        var group = new int[size];
        var depth = new ushort[size];
        var report = new int[size];
        var reportNext = new int[size];
        Array.Fill(group, -1);
        Array.Fill(report, -1);
        Array.Fill(reportNext, -1);

        var groups = new List<int[]>();
        foreach (var (node, pats) in terminal)
        {
            group[da[node]] = groups.Count;
            groups.Add([.. pats]);
        }

        // Failure and output links, parents before children (BFS order).
        foreach (var node in order)
        {
            var u = da[node];
            depth[u] = (ushort)Math.Min(nodeDepth[node], ushort.MaxValue);
            if (children[node] is not { } kids)
            {
                continue;
            }

            foreach (var (code, child) in kids)
            {
                var v = da[child];
                var f = 0;
                if (u != 0)
                {
                    f = fail[u];
                    while (true)
                    {
                        var t = Goto(bas, check, f, code);
                        if (t >= 0)
                        {
                            f = t;
                            break;
                        }

                        if (f == 0)
                        {
                            break;
                        }

                        f = fail[f];
                    }
                }

                fail[v] = f;
                reportNext[v] = report[f];
                report[v] = group[v] >= 0 ? v : report[f];
            }
        }

        var cls = new int[65536];
        for (var i = 0; i < 65536; i++)
        {
            var c = (char)i;
            var folded = CharFolder.Fold(c);
            var alt = CharFolder.Alternative(c);
            var altKnown = alt.Any(alphabet.ContainsKey);
            if (folded == CharFolder.Expand)
            {
                cls[i] = SpecialClass;
            }
            else if (folded == CharFolder.Skip)
            {
                cls[i] = altKnown ? SpecialClass : SkipClass;
            }
            else
            {
                cls[i] = altKnown ? SpecialClass : alphabet.GetValueOrDefault(folded);
            }
        }

        var ring = 1;
        while (ring < maxLen)
        {
            ring <<= 1;
        }

        return new KeywordAutomaton(
            cls, bas, check, fail, report, reportNext, group, depth, [.. groups],
            [.. patterns.Select(p => p.Length)], [.. wholeWord], alphabet.ToFrozenDictionary(), ring - 1, nodeCount);
    }

    /// <summary>Finds every pattern occurrence in <paramref name="text"/> and appends it to <paramref name="results"/>.</summary>
    public void Scan(ReadOnlySpan<char> text, List<RawMatch> results)
    {
        var ringLength = _ringMask + 1;
        Span<int> ring = ringLength <= 256 ? stackalloc int[ringLength] : new int[ringLength];
        var cls = _cls;
        var bas = _base;
        var check = _check;
        var fail = _fail;
        var report = _report;
        var mask = _ringMask;
        var s = 0;
        var prev = 0;
        var n = 0;
        var last = -2;
        for (var i = 0; i < text.Length; i++)
        {
            var e = cls[text[i]];
            if (e > 0)
            {
                // Only an adjacent repeat collapses (fuuuck, 冰冰毒); across a separator it may be the next word.
                if (e == prev && last == i - 1 && s != 0)
                {
                    last = i;
                    if (!RepeatStep(ref s, e))
                    {
                        continue;
                    }
                }
                else
                {
                    while (true)
                    {
                        var t = bas[s] + e;
                        if ((uint)t < (uint)check.Length && check[t] == s)
                        {
                            s = t;
                            break;
                        }

                        if (s == 0)
                        {
                            break;
                        }

                        s = fail[s];
                    }
                }

                prev = e;
                last = i;
                ring[n++ & mask] = i;
                var r = report[s];
                if (r >= 0)
                {
                    Emit(r, n, ring, i + 1, text, results);
                }
            }
            else if (e == 0)
            {
                s = 0;
                prev = 0;
            }
            else if (e == SpecialClass)
            {
                Special(text, i, ref s, ref prev, ref n, ref last, ring, results);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Goto(int[] bas, int[] check, int s, int code)
    {
        var t = bas[s] + code;
        return (uint)t < (uint)check.Length && check[t] == s ? t : -1;
    }

    /// <summary>A repeated character: continue the term if it really has the letter twice, else collapse it.</summary>
    private bool RepeatStep(ref int s, int e)
    {
        var t = Goto(_base, _check, s, e);
        if (t < 0)
        {
            var f = _fail[s];
            while (true)
            {
                t = Goto(_base, _check, f, e);
                if (t >= 0 || f == 0)
                {
                    break;
                }

                f = _fail[f];
            }

            if (t < 0 || _depth[t] < 2)
            {
                return false;
            }
        }

        s = t;
        return true;
    }

    private void Special(ReadOnlySpan<char> text, int i, ref int s, ref int prev, ref int n, ref int last, Span<int> ring, List<RawMatch> results)
    {
        var c = text[i];
        var folded = CharFolder.Fold(c);
        var alt = CharFolder.Alternative(c);
        if (folded == CharFolder.Skip)
        {
            // A symbol with a leet reading (@ → a): consumed only where it continues a term directly.
            foreach (var a in alt)
            {
                var code = _alphabet.GetValueOrDefault(a);
                var t = code > 0 ? Goto(_base, _check, s, code) : -1;
                if (t >= 0)
                {
                    s = t;
                    prev = code;
                    last = i;
                    ring[n++ & _ringMask] = i;
                    if (_report[s] >= 0)
                    {
                        Emit(_report[s], n, ring, i + 1, text, results);
                    }

                    return;
                }
            }

            return;
        }

        var units = folded == CharFolder.Expand ? CharFolder.Expansion(c) : null;
        var count = units?.Length ?? 1;
        for (var u = 0; u < count; u++)
        {
            var unit = units is null ? folded : units[u];
            var unitAlt = units is null ? alt : CharFolder.Alternative(unit);
            var code = _alphabet.GetValueOrDefault(unit);
            if (code == prev && code != 0 && s != 0 && (last == i - 1 || (u > 0 && last == i)))
            {
                last = i;
                if (!RepeatStep(ref s, code))
                {
                    continue;
                }
            }
            else
            {
                var moved = false;
                while (!moved)
                {
                    var t = code > 0 ? Goto(_base, _check, s, code) : -1;
                    for (var k = 0; t < 0 && k < unitAlt.Length; k++)
                    {
                        var altCode = _alphabet.GetValueOrDefault(unitAlt[k]);
                        t = altCode > 0 ? Goto(_base, _check, s, altCode) : -1;
                    }

                    if (t >= 0)
                    {
                        s = t;
                        moved = true;
                    }
                    else if (s == 0)
                    {
                        break;
                    }
                    else
                    {
                        s = _fail[s];
                    }
                }

                if (!moved && code == 0)
                {
                    s = 0;
                    prev = 0;
                    continue;
                }
            }

            prev = code;
            last = i;
            ring[n++ & _ringMask] = i;
            if (_report[s] >= 0)
            {
                Emit(_report[s], n, ring, i + 1, text, results);
            }
        }
    }

    private void Emit(int r, int n, Span<int> ring, int end, ReadOnlySpan<char> text, List<RawMatch> results)
    {
        for (var x = r; x >= 0; x = _reportNext[x])
        {
            foreach (var p in _groups[_group[x]])
            {
                var start = ring[(n - _patternLength[p]) & _ringMask];
                if (_patternWord[p] && !IsWholeWord(text, start, end))
                {
                    continue;
                }

                results.Add(new RawMatch(p, start, end));
            }
        }
    }

    private static bool IsWholeWord(ReadOnlySpan<char> text, int start, int end)
    {
        if (start > 0 && IsWordChar(text[start - 1]))
        {
            return false;
        }

        // Skip a collapsed run of the last letter (fuckkk) before looking at the right neighbour.
        var last = CharFolder.Fold(text[end - 1]);
        while (last != CharFolder.Skip && end < text.Length && CharFolder.Fold(text[end]) == last)
        {
            end++;
        }

        return end >= text.Length || !IsWordChar(text[end]);
    }

    private static bool IsWordChar(char c)
    {
        var f = CharFolder.Fold(c);
        if (f == CharFolder.Expand)
        {
            var x = CharFolder.Expansion(c);
            f = x.Length > 0 ? x[0] : CharFolder.Skip;
        }

        return CharFolder.IsLatinWordChar(f);
    }

    private sealed class DoubleArrayBuilder
    {
        private int _firstFree = 1;

        public DoubleArrayBuilder(int capacity)
        {
            Base = new int[capacity];
            Check = new int[capacity];
            Array.Fill(Check, -1);
            Check[0] = -2; // the root's slot is taken and owned by no parent
        }

        public int[] Base { get; private set; }

        public int[] Check { get; private set; }

        public int Size { get; private set; } = 1;

        /// <summary>Finds a base for <paramref name="parent"/> where every child slot is free, claims the slots.</summary>
        public int Place(int parent, List<(int Code, int Child)> kids)
        {
            var first = kids[0].Code;
            var last = kids[^1].Code;
            while (_firstFree < Check.Length && Check[_firstFree] != -1)
            {
                _firstFree++;
            }

            var p = Math.Max(_firstFree, first + 1);
            while (true)
            {
                var b = p - first;
                Ensure(b + last + 1);
                if (Check[p] == -1 && Fits(b, kids))
                {
                    Base[parent] = b;
                    foreach (var (code, _) in kids)
                    {
                        Check[b + code] = parent;
                    }

                    Size = Math.Max(Size, b + last + 1);
                    return b;
                }

                p++;
            }
        }

        private bool Fits(int b, List<(int Code, int Child)> kids)
        {
            foreach (var (code, _) in kids)
            {
                if (Check[b + code] != -1)
                {
                    return false;
                }
            }

            return true;
        }

        private void Ensure(int size)
        {
            if (size <= Check.Length)
            {
                return;
            }

            var n = Math.Max(size, Check.Length * 3 / 2);
            var oldLength = Check.Length;
            var check = Check;
            var bas = Base;
            Array.Resize(ref check, n);
            Array.Resize(ref bas, n);
            Array.Fill(check, -1, oldLength, n - oldLength);
            Check = check;
            Base = bas;
        }
    }
}
