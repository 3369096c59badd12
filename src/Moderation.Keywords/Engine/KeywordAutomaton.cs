using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private const ushort BreakClass = 0;
    private const ushort SkipClass = 0xFFFF;
    private const ushort SpecialClass = 0xFFFE;
    private const int MaxAlphabet = 0xFFFD;

    private readonly ushort[] _cls;

    // base (with two flag bits) and check side by side in 8 bytes: one cache access per step and
    // 1.2 MB for the reference lexicon. Failure and output links are read only when a flag says so.
    private readonly Node[] _nodes;
    private readonly int[] _fail;
    private readonly int[] _report;

    private const int BaseMask = (1 << 29) - 1;
    private const int DeepFailFlag = 1 << 30; // failure link is not the root
    private const int ReportFlag = 1 << 29;   // some pattern ends here or at a suffix state
    private readonly int[] _reportNext;
    private readonly int[] _group;
    private readonly ushort[] _depth;
    private readonly int[][] _groups;
    private readonly int[] _patternLength;
    private readonly bool[] _patternWord;
    private readonly FrozenDictionary<char, int> _alphabet;
    private readonly int _ringMask;

    private KeywordAutomaton(
        ushort[] cls, Node[] nodes, int[] fail, int[] report, int[] reportNext, int[] group,
        ushort[] depth, int[][] groups, int[] patternLength, bool[] patternWord, FrozenDictionary<char, int> alphabet,
        int ringMask, int states)
    {
        _cls = cls;
        _nodes = nodes;
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
    public int Slots => _nodes.Length;

    public int AlphabetSize => _alphabet.Count;

    /// <summary>Bytes held by the compiled tables (class table, double array, links, pattern data).</summary>
    public long MemoryBytes =>
        (long)_cls.Length * 2 + (long)_nodes.Length * (8 + 4 + 4 + 4 + 4 + 2) + _patternLength.Length * 5L
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

        // Pad so that base + code stays inside the array for every state and code: the scan loop skips range checks.
        var size = builder.Size;
        var maxBase = 0;
        for (var i = 0; i < size; i++)
        {
            maxBase = Math.Max(maxBase, builder.Base[i]);
        }

        size = Math.Max(size, maxBase + alphabet.Count + 1);
        builder.EnsureSize(size);
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

        if (alphabet.Count > MaxAlphabet)
        {
            throw new InvalidOperationException($"The lexicon uses {alphabet.Count} distinct characters; at most {MaxAlphabet} are supported.");
        }

        var cls = new ushort[65536];
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
                cls[i] = altKnown ? SpecialClass : (ushort)alphabet.GetValueOrDefault(folded);
            }
        }

        var ring = 1;
        while (ring < maxLen)
        {
            ring <<= 1;
        }

        if (maxBase + alphabet.Count >= BaseMask)
        {
            throw new InvalidOperationException("The lexicon is too large for the double array.");
        }

        var nodes = new Node[size];
        for (var i = 0; i < size; i++)
        {
            var flags = (fail[i] != 0 ? DeepFailFlag : 0) | (report[i] >= 0 ? ReportFlag : 0);
            nodes[i] = new Node(bas[i] | flags, check[i]);
        }

        return new KeywordAutomaton(
            cls, nodes, fail, report, reportNext, group, depth, [.. groups],
            [.. patterns.Select(p => p.Length)], [.. wholeWord], alphabet.ToFrozenDictionary(), ring - 1, nodeCount);
    }

    /// <summary>Finds every pattern occurrence in <paramref name="text"/> and appends it to <paramref name="results"/>.</summary>
    public void Scan(ReadOnlySpan<char> text, List<RawMatch> results)
    {
        var ringLength = _ringMask + 1;
        Span<int> ring = ringLength <= 256 ? stackalloc int[ringLength] : new int[ringLength];

        // Few live variables and no range checks keep the loop in registers: the node array is
        // padded so base + code is always inside it (see Build), and the ring index is masked.
        ref var cls = ref MemoryMarshal.GetArrayDataReference(_cls);
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var ringRef = ref MemoryMarshal.GetReference(ring);
        var mask = _ringMask;
        var rootBase = _nodes[0].BaseFlags & BaseMask;
        var s = 0;
        var n = 0;
        var prevE = -1; // class of the previous character, -1 after a separator
        for (var i = 0; i < text.Length; i++)
        {
            int e = Unsafe.Add(ref cls, text[i]);
            if (e >= SpecialClass)
            {
                prevE = -1;
                if (e == SpecialClass)
                {
                    // Pass copies: taking the loop variables' addresses would pin them to the stack.
                    var st = new ScanState { S = s, N = n };
                    Special(text, i, ref st, ring, results);
                    (s, n) = (st.S, st.N);
                }

                continue; // SkipClass: separators are transparent
            }

            // Code 0 (a character outside the alphabet) has no transition anywhere and falls back to the root.
            // Only an adjacent repeat collapses (fuuuck, 冰冰毒); across a separator it may be the next word.
            if (e == prevE && s != 0)
            {
                var next = RepeatStep(s, e);
                if (next < 0)
                {
                    continue;
                }

                s = next;
            }
            else
            {
                prevE = e;

                // The goto from s, else the goto from the root (the failure link of the root and of
                // every depth-1 state), else the root, selected without data-dependent branches;
                // only a failure link to a deeper state needs the loop.
                var baseFlags = Unsafe.Add(ref nodes, s).BaseFlags;
                var t = (baseFlags & BaseMask) + e;
                var t1 = rootBase + e;
                var okMask = -(Unsafe.Add(ref nodes, t).Check == s ? 1 : 0);
                var rootMask = -(Unsafe.Add(ref nodes, t1).Check == 0 ? 1 : 0);
                var next = (t & okMask) | (t1 & rootMask & ~okMask);
                if ((~okMask & baseFlags & DeepFailFlag) != 0)
                {
                    next = Delta(_fail[s], e);
                }

                s = next;
            }

            Unsafe.Add(ref ringRef, n++ & mask) = i;
            if ((Unsafe.Add(ref nodes, s).BaseFlags & ReportFlag) != 0)
            {
                Emit(_report[s], n, ring, i + 1, text, results);
            }
        }
    }

    /// <summary>Full Aho-Corasick step from state <paramref name="s"/>, following failure links.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Delta(int s, int e)
    {
        var nodes = _nodes;
        while (true)
        {
            var t = (nodes[s].BaseFlags & BaseMask) + e;
            if ((uint)t < (uint)nodes.Length && nodes[t].Check == s)
            {
                return t;
            }

            if (s == 0)
            {
                return 0;
            }

            s = _fail[s];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Goto(Node[] nodes, int s, int code)
    {
        var t = (nodes[s].BaseFlags & BaseMask) + code;
        return (uint)t < (uint)nodes.Length && nodes[t].Check == s ? t : -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Goto(int[] bas, int[] check, int s, int code)
    {
        var t = bas[s] + code;
        return (uint)t < (uint)check.Length && check[t] == s ? t : -1;
    }

    /// <summary>A repeated character: continue the term if it really has the letter twice, else collapse it (-1).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int RepeatStep(int s, int e)
    {
        var t = Goto(_nodes, s, e);
        if (t < 0)
        {
            t = Delta(_fail[s], e);
            if (_depth[t] < 2)
            {
                return -1;
            }
        }

        return t;
    }

    private struct ScanState
    {
        public int S;
        public int N;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Special(ReadOnlySpan<char> text, int i, ref ScanState st, Span<int> ring, List<RawMatch> results)
    {
        var s = st.S;
        var n = st.N;
        SpecialCore(text, i, ref s, ref n, ring, results);
        st = new ScanState { S = s, N = n };
    }

    private void SpecialCore(ReadOnlySpan<char> text, int i, ref int s, ref int n, Span<int> ring, List<RawMatch> results)
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
                var t = code > 0 ? Goto(_nodes, s, code) : -1;
                if (t >= 0)
                {
                    s = t;
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
            var before = u > 0 ? units![u - 1] : i > 0 ? LastUnit(text[i - 1]) : CharFolder.Skip;
            if (code != 0 && s != 0 && unit == before)
            {
                var next = RepeatStep(s, code);
                if (next < 0)
                {
                    continue;
                }

                s = next;
            }
            else
            {
                var moved = false;
                while (!moved)
                {
                    var t = code > 0 ? Goto(_nodes, s, code) : -1;
                    for (var k = 0; t < 0 && k < unitAlt.Length; k++)
                    {
                        var altCode = _alphabet.GetValueOrDefault(unitAlt[k]);
                        t = altCode > 0 ? Goto(_nodes, s, altCode) : -1;
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
                    continue;
                }
            }

            ring[n++ & _ringMask] = i;
            if (_report[s] >= 0)
            {
                Emit(_report[s], n, ring, i + 1, text, results);
            }
        }
    }

    private static char LastUnit(char c)
    {
        var f = CharFolder.Fold(c);
        return f == CharFolder.Expand ? CharFolder.Expansion(c)[^1] : f;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
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

    private readonly record struct Node(int BaseFlags, int Check);

    private sealed class DoubleArrayBuilder
    {
        private ulong[] _used; // bit per slot: taken (scanned 64 at a time when looking for room)
        private int _firstFree = 1;

        public DoubleArrayBuilder(int capacity)
        {
            Base = new int[capacity];
            Check = new int[capacity];
            _used = new ulong[(capacity >> 6) + 1];
            Array.Fill(Check, -1);
            Check[0] = -2; // the root's slot is taken and owned by no parent
            _used[0] = 1;
        }

        public int[] Base { get; private set; }

        public int[] Check { get; private set; }

        public int Size { get; private set; } = 1;

        /// <summary>Finds a base for <paramref name="parent"/> where every child slot is free, claims the slots.</summary>
        public int Place(int parent, List<(int Code, int Child)> kids)
        {
            var first = kids[0].Code;
            var last = kids[^1].Code;
            _firstFree = NextFree(_firstFree);
            var p = NextFree(Math.Max(_firstFree, first + 1));
            while (true)
            {
                var b = p - first;
                Ensure(b + last + 1);
                if (Fits(b, kids))
                {
                    Base[parent] = b;
                    foreach (var (code, _) in kids)
                    {
                        var t = b + code;
                        Check[t] = parent;
                        _used[t >> 6] |= 1UL << (t & 63);
                    }

                    Size = Math.Max(Size, b + last + 1);
                    return b;
                }

                p = NextFree(p + 1);
            }
        }

        private int NextFree(int p)
        {
            var word = p >> 6;
            if (word >= _used.Length)
            {
                return p;
            }

            var bits = ~_used[word] & (ulong.MaxValue << (p & 63));
            while (bits == 0)
            {
                if (++word >= _used.Length)
                {
                    return word << 6;
                }

                bits = ~_used[word];
            }

            return (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
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

        public void EnsureSize(int size) => Ensure(size);

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
            var used = _used;
            Array.Resize(ref check, n);
            Array.Resize(ref bas, n);
            Array.Resize(ref used, (n >> 6) + 1);
            Array.Fill(check, -1, oldLength, n - oldLength);
            Check = check;
            Base = bas;
            _used = used;
        }
    }
}
