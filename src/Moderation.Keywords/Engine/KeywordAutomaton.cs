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

        // Plain trie first (node 0 = root), built from the patterns in code order: each pattern shares
        // its longest common prefix with the previous one, so a node's children arrive in code order and
        // the trie takes two int arrays per node instead of a hash map of edges.
        var coded = new string[patterns.Count];
        var totalLength = 0;
        for (var pi = 0; pi < patterns.Count; pi++)
        {
            coded[pi] = string.Create(patterns[pi].Length, patterns[pi], (span, p) =>
            {
                for (var k = 0; k < p.Length; k++)
                {
                    span[k] = (char)alphabet[p[k]];
                }
            });
            totalLength += patterns[pi].Length;
        }

        var sorted = new int[patterns.Count];
        for (var pi = 0; pi < sorted.Length; pi++)
        {
            sorted[pi] = pi;
        }

        Array.Sort(sorted, (a, b) =>
        {
            var c = string.CompareOrdinal(coded[a], coded[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var capacity = totalLength + 1;
        var edgeCode = new int[capacity];
        var firstChild = new int[capacity];
        var lastChild = new int[capacity];
        var nextSibling = new int[capacity];
        var nodeDepth = new int[capacity];
        var termHead = new int[capacity];
        var termNext = new int[patterns.Count];
        Array.Fill(firstChild, -1);
        Array.Fill(nextSibling, -1);
        Array.Fill(termHead, -1);
        var nodeCount = 1;
        var path = new int[maxLen + 1];
        var previous = string.Empty;
        foreach (var pi in sorted)
        {
            var key = coded[pi];
            var lcp = 0;
            while (lcp < key.Length && lcp < previous.Length && key[lcp] == previous[lcp])
            {
                lcp++;
            }

            for (var d = lcp; d < key.Length; d++)
            {
                var parent = path[d];
                var child = nodeCount++;
                edgeCode[child] = key[d];
                nodeDepth[child] = d + 1;
                if (firstChild[parent] < 0)
                {
                    firstChild[parent] = child;
                }
                else
                {
                    nextSibling[lastChild[parent]] = child;
                }

                lastChild[parent] = child;
                path[d + 1] = child;
            }

            previous = key;
            var node = path[key.Length];
            if (node != 0)
            {
                termNext[pi] = termHead[node];
                termHead[node] = pi;
            }
        }

        var builder = new DoubleArrayBuilder(nodeCount + alphabet.Count + 16, alphabet.Count);
        var da = new int[nodeCount];
        var order = new int[nodeCount];
        var orderCount = 1;
        var kids = new List<(int Code, int Child)>();
        for (var qi = 0; qi < orderCount; qi++)
        {
            var node = order[qi];
            if (firstChild[node] < 0)
            {
                continue;
            }

            kids.Clear();
            for (var child = firstChild[node]; child >= 0; child = nextSibling[child])
            {
                kids.Add((edgeCode[child], child));
            }

            var b = builder.Place(da[node], kids);
            foreach (var (code, child) in kids)
            {
                da[child] = b + code;
                order[orderCount++] = child;
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
        var pats = new List<int>();
        for (var node = 1; node < nodeCount; node++)
        {
            if (termHead[node] < 0)
            {
                continue;
            }

            pats.Clear();
            for (var pi = termHead[node]; pi >= 0; pi = termNext[pi])
            {
                pats.Add(pi);
            }

            pats.Reverse(); // prepended in sorted (index) order: restore it
            group[da[node]] = groups.Count;
            groups.Add([.. pats]);
        }

        // Failure and output links, parents before children (BFS order).
        foreach (var node in order.AsSpan(0, orderCount))
        {
            var u = da[node];
            depth[u] = (ushort)Math.Min(nodeDepth[node], ushort.MaxValue);
            for (var child = firstChild[node]; child >= 0; child = nextSibling[child])
            {
                var code = edgeCode[child];
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

    /// <summary>
    /// Most readings alive at once. A character can be read two ways — a repeat is a doubled letter or a
    /// collapsed one (销售售麻黄素), a symbol with a leet reading is a letter or a separator (k@粉, 海|洛·因),
    /// a digit inside a Latin word is a digit or a letter (b1tch) — and which one leads to a term is only
    /// known later. Following just one (the old rule: whichever continues the current path) lost the term
    /// whenever some other term's path continued, which a 41,739-term lexicon almost always does. So
    /// both are followed; a reading dies when it falls back to the root or reaches the same state as
    /// another (the automaton state says everything about the future), so a fork lives for at most the
    /// length of the longest term and ordinary text stays on the single-reading fast path.
    /// </summary>
    private const int MaxReadings = 4;

    /// <summary>Finds every pattern occurrence in <paramref name="text"/> and appends it to <paramref name="results"/>.</summary>
    public void Scan(ReadOnlySpan<char> text, List<RawMatch> results)
    {
        var ringLength = _ringMask + 1;
        Span<int> rings = ringLength * MaxReadings <= 1024 ? stackalloc int[ringLength * MaxReadings] : new int[ringLength * MaxReadings];
        Span<int> readings = stackalloc int[2 * MaxReadings]; // state, consumed count per reading
        var leet = default(LeetWord);

        // Few live variables and no range checks keep the loop in registers: the node array is
        // padded so base + code is always inside it (see Build), and the ring index is masked.
        ref var cls = ref MemoryMarshal.GetArrayDataReference(_cls);
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var ringRef = ref MemoryMarshal.GetReference(rings);
        var mask = _ringMask;
        var rootBase = _nodes[0].BaseFlags & BaseMask;
        var s = 0;
        var n = 0;
        var count = 1;  // readings alive; reading 0 lives in s and n
        var prevE = -1; // class of the previous character, -1 after a separator
        for (var i = 0; i < text.Length; i++)
        {
            int e = Unsafe.Add(ref cls, text[i]);
            if (e == SkipClass)
            {
                prevE = -1; // separators are transparent to every reading
                continue;
            }

            // Code 0 (a character outside the alphabet) has no transition anywhere and falls back to the root.
            // Only an adjacent repeat is ambiguous (fuuuck, 冰冰毒); across a separator it may be the next word.
            if (count > 1 || e == SpecialClass || (e == prevE && s != 0))
            {
                readings[0] = s;
                readings[1] = n;
                count = Ambiguous(text, i, e, prevE, readings, count, rings, results, ref leet);
                (s, n) = (readings[0], readings[1]);
                prevE = e == SpecialClass ? -1 : e;
                continue;
            }

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
            Unsafe.Add(ref ringRef, n++ & mask) = i;
            if ((Unsafe.Add(ref nodes, s).BaseFlags & ReportFlag) != 0)
            {
                Emit(_report[s], n, rings[..ringLength], i + 1, text, results);
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

    /// <summary>
    /// The slow path: a character that can be read two ways, a character with several folded units (⑩),
    /// or any character while more than one reading is alive. Every reading takes the character; a
    /// second way of reading it starts a new reading. Returns how many readings are alive.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Ambiguous(ReadOnlySpan<char> text, int i, int e, int prevE, Span<int> readings, int count, Span<int> rings, List<RawMatch> results, ref LeetWord leet)
    {
        if (e != SpecialClass)
        {
            return Compact(Step(i, e, e == prevE, string.Empty, readings, count, rings), i, text, readings, rings, results);
        }

        var c = text[i];
        var folded = CharFolder.Fold(c);
        if (folded == CharFolder.Skip)
        {
            // A symbol with a leet reading (@ → a, | → l) is a separator, and also a letter where it
            // touches a Latin letter or digit (@ss, a$$, sh!t, k@粉); between Chinese characters (好！我们) it
            // is punctuation only, which keeps ordinary text off the forked path.
            return LeetSymbolContext(text, i)
                ? Compact(Optional(i, CharFolder.Alternative(c), readings, count, rings), i, text, readings, rings, results)
                : Compact(count, i, text, readings, rings, results);
        }

        var units = folded == CharFolder.Expand ? CharFolder.Expansion(c) : null;
        var unitCount = units?.Length ?? 1;
        for (var u = 0; u < unitCount; u++)
        {
            var unit = units is null ? folded : units[u];
            var alt = units is null ? CharFolder.Alternative(c) : CharFolder.Alternative(unit);
            if (alt.Length > 0 && unit is >= '0' and <= '9' && !leet.Allows(text, i))
            {
                alt = string.Empty; // a run of digits stays digits: 58同城, 第58位, 5B
            }

            var code = _alphabet.GetValueOrDefault(unit);
            var before = u > 0 ? units![u - 1] : i > 0 ? LastUnit(text[i - 1]) : CharFolder.Skip;
            count = Compact(Step(i, code, code != 0 && unit == before, alt, readings, count, rings), i, text, readings, rings, results);
        }

        return count;
    }

    /// <summary>True when a neighbour of the symbol at <paramref name="i"/>, across other leet symbols (a$$), is a Latin letter or digit.</summary>
    private static bool LeetSymbolContext(ReadOnlySpan<char> text, int i)
    {
        for (var k = i - 1; k >= 0 && k >= i - 3; k--)
        {
            if (IsWordChar(text[k]))
            {
                return true;
            }

            if (CharFolder.Alternative(text[k]).Length == 0)
            {
                break;
            }
        }

        for (var k = i + 1; k < text.Length && k <= i + 3; k++)
        {
            if (IsWordChar(text[k]))
            {
                return true;
            }

            if (CharFolder.Alternative(text[k]).Length == 0)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>One folded unit for every reading: a repeat may collapse or count; a leet digit may be a letter.</summary>
    private int Step(int i, int code, bool repeat, string alt, Span<int> readings, int count, Span<int> rings)
    {
        var alive = count;
        for (var k = 0; k < alive; k++)
        {
            var s = readings[2 * k];
            int next;
            var other = -1;      // a second reading's state
            var otherTakes = true; // whether the second reading consumes the character (else it collapses it)
            if (repeat && s != 0)
            {
                // A doubled letter counts where a term really has it twice (beyond a fresh start at depth 1);
                // a collapsed one keeps the state.
                next = Goto(_nodes, s, code);
                if (next < 0)
                {
                    next = Delta(_fail[s], code);
                    next = _depth[next] < 2 ? -1 : next;
                }

                if (next < 0)
                {
                    continue; // only the collapsed reading: the state stays, nothing consumed
                }

                other = s;
                otherTakes = false;
            }
            else
            {
                next = code > 0 ? Delta(s, code) : 0;
                foreach (var a in alt)
                {
                    var altCode = _alphabet.GetValueOrDefault(a);
                    var t = altCode > 0 ? Delta(s, altCode) : 0;
                    if (t != 0 && t != next)
                    {
                        other = t;
                        break;
                    }
                }
            }

            if (other >= 0 && count < MaxReadings)
            {
                Fork(k, count, readings, rings);
                readings[2 * count] = other;
                if (otherTakes)
                {
                    Record(count, i, readings, rings);
                }

                count++;
            }

            readings[2 * k] = next;
            Record(k, i, readings, rings);
        }

        return count;
    }

    /// <summary>A symbol that is a separator, and also a letter where that reaches a term's path.</summary>
    private int Optional(int i, string alt, Span<int> readings, int count, Span<int> rings)
    {
        var alive = count;
        for (var k = 0; k < alive && count < MaxReadings; k++)
        {
            foreach (var a in alt)
            {
                var code = _alphabet.GetValueOrDefault(a);
                var t = code > 0 ? Delta(readings[2 * k], code) : 0;
                if (t != 0)
                {
                    Fork(k, count, readings, rings);
                    readings[2 * count] = t;
                    Record(count, i, readings, rings);
                    count++;
                    break;
                }
            }
        }

        return count;
    }

    private void Fork(int from, int to, Span<int> readings, Span<int> rings)
    {
        var length = _ringMask + 1;
        readings[(2 * to) + 1] = readings[(2 * from) + 1];
        rings.Slice(from * length, length).CopyTo(rings.Slice(to * length, length));
    }

    /// <summary>Reading <paramref name="k"/> consumed character <paramref name="i"/>: remember where it was.</summary>
    private void Record(int k, int i, Span<int> readings, Span<int> rings)
    {
        var n = readings[(2 * k) + 1];
        rings[(k * (_ringMask + 1)) + (n & _ringMask)] = i;
        readings[(2 * k) + 1] = n + 1;
    }

    /// <summary>
    /// Drops readings that are back at the root or in the same state as another: the state is all that
    /// matters for what can still match. Of two in one state the one whose match starts earlier is kept
    /// (the collapsed reading of 冰冰毒 covers the whole run, as one reading did before). Then reports what
    /// ends at <paramref name="i"/> for every reading that consumed it, once per state.
    /// </summary>
    private int Compact(int count, int i, ReadOnlySpan<char> text, Span<int> readings, Span<int> rings, List<RawMatch> results)
    {
        var length = _ringMask + 1;
        var kept = 0;
        for (var k = 0; k < count; k++)
        {
            var s = readings[2 * k];
            if (s == 0 && count > 1)
            {
                continue;
            }

            var same = -1;
            for (var j = 0; j < kept && same < 0; j++)
            {
                same = readings[2 * j] == s ? j : -1;
            }

            if (same >= 0)
            {
                if (Start(k, s, readings, rings) < Start(same, s, readings, rings))
                {
                    readings[(2 * same) + 1] = readings[(2 * k) + 1];
                    rings.Slice(k * length, length).CopyTo(rings.Slice(same * length, length));
                }

                continue;
            }

            if (kept != k)
            {
                readings[2 * kept] = s;
                readings[(2 * kept) + 1] = readings[(2 * k) + 1];
                rings.Slice(k * length, length).CopyTo(rings.Slice(kept * length, length));
            }

            kept++;
        }

        if (kept == 0)
        {
            readings[0] = 0; // every reading is at the root: one is enough
            kept = 1;
        }

        for (var k = 0; k < kept; k++)
        {
            var s = readings[2 * k];
            var n = readings[(2 * k) + 1];
            var ring = rings.Slice(k * length, length);
            if (_report[s] >= 0 && n > 0 && ring[(n - 1) & _ringMask] == i)
            {
                Emit(_report[s], n, ring, i + 1, text, results);
            }
        }

        return kept;
    }

    /// <summary>Where the deepest match of state <paramref name="s"/> would start in reading <paramref name="k"/>.</summary>
    private int Start(int k, int s, Span<int> readings, Span<int> rings)
    {
        var n = readings[(2 * k) + 1];
        var depth = Math.Min(Math.Min((int)_depth[s], n), _ringMask + 1);
        return depth == 0 ? int.MaxValue : rings[(k * (_ringMask + 1)) + ((n - depth) & _ringMask)];
    }

    /// <summary>
    /// The leet rule for digits: a digit may also be read as a letter (1 → i/l, 5 → s, 4 → a …) only
    /// inside a Latin word (a run of Latin letters and digits) that holds at least two letters, and only
    /// where its run of digits touches a letter. So 58同城, 载58人, 第58位, 开5.8, 5B, 4K and 3M stay
    /// digits, while b1tch, sh1t, n1gger, 5hit and f4ck read as words. The price: a two-character
    /// "5b" for "sb" is not caught — it cannot be told from a 5B pencil. Computed once per word and once
    /// per digit run, so a text of 100,000 alternating digits and letters stays linear.
    /// </summary>
    private struct LeetWord
    {
        private int _wordEnd;
        private bool _wordHasLetters;
        private int _runEnd;
        private bool _runTouchesLetter;

        public bool Allows(ReadOnlySpan<char> text, int i)
        {
            if (i >= _wordEnd)
            {
                var start = i;
                while (start > 0 && IsWordChar(text[start - 1]))
                {
                    start--;
                }

                var end = i + 1;
                while (end < text.Length && IsWordChar(text[end]))
                {
                    end++;
                }

                var letters = 0;
                for (var k = start; k < end && letters < 2; k++)
                {
                    letters += IsLetter(text[k]) ? 1 : 0;
                }

                _wordEnd = end;
                _wordHasLetters = letters >= 2;
            }

            if (i >= _runEnd)
            {
                var start = i;
                while (start > 0 && IsDigit(text[start - 1]))
                {
                    start--;
                }

                var end = i + 1;
                while (end < text.Length && IsDigit(text[end]))
                {
                    end++;
                }

                _runEnd = end;
                _runTouchesLetter = (start > 0 && IsLetter(text[start - 1])) || (end < text.Length && IsLetter(text[end]));
            }

            return _wordHasLetters && _runTouchesLetter;
        }

        private static bool IsLetter(char c) => FirstUnit(c) is >= 'a' and <= 'z';

        private static bool IsDigit(char c) => FirstUnit(c) is >= '0' and <= '9';

        private static char FirstUnit(char c)
        {
            var f = CharFolder.Fold(c);
            if (f == CharFolder.Expand)
            {
                var x = CharFolder.Expansion(c);
                f = x.Length > 0 ? x[0] : CharFolder.Skip;
            }

            return f;
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
        // Words (64 bases each) one node size class searches before it gives up on that stretch for good.
        private const int MaxWords = 4096;

        private readonly int _maxCode;
        private readonly int[] _wideStart = new int[32];
        private ulong[] _used; // bit per slot: taken (scanned 64 at a time when looking for room)
        private int _firstFree = 1;

        public DoubleArrayBuilder(int capacity, int maxCode)
        {
            _maxCode = maxCode;
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

            // Slots up to the largest code can only take children with smaller codes; searching from there
            // made every single-child node walk the packed region for a free slot past its code.
            _firstFree = NextFree(Math.Max(_firstFree, _maxCode + 1));
            int b;
            if (kids.Count == 1)
            {
                // Most nodes of a big trie: the first free slot always fits, so they fill holes front to back.
                b = NextFree(Math.Max(_firstFree, first + 1)) - first;
                Ensure(b + first + 1);
            }
            else
            {
                b = FindBase(kids, first, last);
            }

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

        /// <summary>
        /// First-fit base for a node with several children, tried 64 bases at a time: the AND over the
        /// children of the free-slot bitmap shifted by each child's code has a bit set exactly where every
        /// child slot is free. Searching every hole for every node one base at a time was the quadratic part
        /// of big builds (300k terms: 46 s). A node size class that found no room in <see cref="MaxWords"/>
        /// words moves its starting point past them, so no region is searched without bound.
        /// </summary>
        private int FindBase(List<(int Code, int Child)> kids, int first, int last)
        {
            var sizeClass = System.Numerics.BitOperations.Log2((uint)kids.Count);
            var lo = Math.Max(1, Math.Max(_firstFree - first, _wideStart[sizeClass]));
            var word = lo >> 6;
            var mask = ulong.MaxValue << (lo & 63);
            var scanned = 0;
            while (true)
            {
                Ensure(((word + 2) << 6) + last + 64);
                foreach (var (code, _) in kids)
                {
                    mask &= FreeWindow((word << 6) + code);
                    if (mask == 0)
                    {
                        break;
                    }
                }

                if (mask != 0)
                {
                    return (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(mask);
                }

                word++;
                mask = ulong.MaxValue;
                if (++scanned > MaxWords)
                {
                    _wideStart[sizeClass] = word << 6;
                }
            }
        }

        /// <summary>Bit j set when slot <paramref name="x"/> + j is free.</summary>
        private ulong FreeWindow(int x)
        {
            var w = x >> 6;
            var shift = x & 63;
            var low = ~_used[w] >> shift;
            return shift == 0 ? low : low | (~_used[w + 1] << (64 - shift));
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
