using System.Globalization;
using Moderation.Banks.Index;
using Moderation.Banks.Text;

namespace Moderation.Banks;

/// <summary>
/// An immutable, thread-safe snapshot of every enabled bank's entries, ready to match posts against.
/// <para>
/// Matching: the post is folded like the keyword engine folds it (digit runs become one symbol), cut into
/// character shingles, MinHashed, and its LSH band keys looked up; every candidate is then verified with
/// the exact Jaccard similarity of the two shingle sets against the entry's own threshold. The best
/// entry per bank is reported, with the span of the post that overlaps it.
/// </para>
/// <para>
/// Changes: <see cref="Apply"/> returns a new snapshot that shares the big base segment with this one and
/// rebuilds only a small delta segment (plus a tombstone bitmap for removed base entries), so a new entry
/// is matchable in milliseconds even at a million entries. When the delta grows past
/// <see cref="NeedsCompaction"/>, <see cref="Compact"/> folds it into a new base
/// (<see cref="BankIndexProvider"/> does that in the background).
/// </para>
/// <para>
/// <see cref="Version"/> is a digest of the contents (every entry's key, bank, category, sub-label,
/// action, threshold and text) and of the hashing parameters: equal contents give equal versions however
/// they were reached, so a decision that names the version can be replayed.
/// </para>
/// </summary>
public sealed class BankIndex
{
    private const int DeltaTag = 1 << 30;

    private readonly BankEngine _engine;
    private readonly BankSegment _base;
    private readonly ulong[]? _dead;
    private readonly int _deadCount;
    private readonly BankSegment _delta;
    private readonly UInt128 _content;

    private BankIndex(BankEngine engine, BankSegment @base, ulong[]? dead, int deadCount, BankSegment delta, UInt128 content)
    {
        _engine = engine;
        _base = @base;
        _dead = dead;
        _deadCount = deadCount;
        _delta = delta;
        _content = content;
        Count = @base.Count - deadCount + delta.Count;
        var digest = content ^ engine.TagHash;
        Version = string.Create(CultureInfo.InvariantCulture, $"bank-{Count}-{(ulong)digest:x16}");
    }

    /// <summary>Live entries.</summary>
    public int Count { get; }

    /// <summary>Changes whenever the contents or the hashing parameters change; equal for equal contents.</summary>
    public string Version { get; }

    /// <summary>A copy of the parameters this index hashes with.</summary>
    public BankIndexOptions Options => _engine.Options.Clone();

    /// <summary>True when the delta and the removed entries have grown enough that <see cref="Compact"/> pays.</summary>
    public bool NeedsCompaction => _delta.Count + _deadCount > Math.Max(_engine.Options.MinCompactionDelta, _base.Count / 32);

    /// <summary>Entries in the small delta segment (added since the last build or compaction).</summary>
    public int DeltaCount => _delta.Count;

    /// <summary>Bytes held by the index structures (band tables, entry arrays), not counting the entries' own objects and texts.</summary>
    public long IndexBytes => _base.MemoryBytes + _delta.MemoryBytes + ((_dead?.LongLength ?? 0) * 8);

    /// <summary>Every live entry, base first, each in key order.</summary>
    public IEnumerable<BankEntry> Entries
    {
        get
        {
            for (var i = 0; i < _base.Count; i++)
            {
                if (!IsDead(i))
                {
                    yield return _base.Entries[i];
                }
            }

            foreach (var e in _delta.Entries)
            {
                yield return e;
            }
        }
    }

    public static BankIndex Empty(BankIndexOptions? options = null) =>
        new(new BankEngine(options ?? new BankIndexOptions()), BankSegment.Empty, null, 0, BankSegment.Empty, UInt128.Zero);

    /// <summary>
    /// Builds an index from scratch (e.g. every enabled bank's entries read from the database). A later
    /// entry with the same key replaces an earlier one. Throws <see cref="ArgumentException"/> naming the
    /// first entry that cannot be indexed (see <see cref="Problem"/>).
    /// </summary>
    /// <param name="parallelism">Threads used to hash the entries.</param>
    public static BankIndex Build(IEnumerable<BankEntry> entries, BankIndexOptions? options = null, int parallelism = 1) =>
        Build(new BankEngine(options ?? new BankIndexOptions()), entries, parallelism);

    /// <summary>
    /// Why <paramref name="entry"/> could not be indexed with <paramref name="options"/> (bad category,
    /// threshold out of range, text too short after folding, …), or null when it can. For validating an
    /// import line or a confirmed post before it is stored.
    /// </summary>
    public static string? Problem(BankEntry entry, BankIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var engine = new BankEngine(options ?? new BankIndexOptions());
        var scratch = engine.Pool.Get();
        return engine.Problem(entry, scratch, out _);
    }

    /// <summary>Why <paramref name="entry"/> could not be added to this index, or null.</summary>
    public string? ProblemWith(BankEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var scratch = _engine.Pool.Get();
        try
        {
            return _engine.Problem(entry, scratch, out _);
        }
        finally
        {
            _engine.Pool.Return(scratch);
        }
    }

    public bool TryGet(BankEntryKey key, out BankEntry entry)
    {
        var d = _delta.IndexOf(key);
        if (d >= 0)
        {
            entry = _delta.Entries[d];
            return true;
        }

        var b = _base.IndexOf(key);
        if (b >= 0 && !IsDead(b))
        {
            entry = _base.Entries[b];
            return true;
        }

        entry = null!;
        return false;
    }

    public bool Contains(BankEntryKey key) => TryGet(key, out _);

    public BankIndex Add(BankEntry entry) => Apply([entry], []);

    public BankIndex Remove(BankEntryKey key) => Apply([], [key]);

    /// <summary>
    /// A new snapshot with <paramref name="removals"/> taken out, then <paramref name="upserts"/> put in
    /// (an upsert replaces the entry with the same key; the last of several wins). Removing a key that is
    /// not there does nothing. Returns this snapshot when nothing changes. Cost: hashing the new entries
    /// and rebuilding the delta segment, independent of the base size apart from copying the tombstone
    /// bitmap (base size / 8 bytes). Throws <see cref="ArgumentException"/> (and changes nothing) if an
    /// upsert cannot be indexed.
    /// </summary>
    public BankIndex Apply(IEnumerable<BankEntry> upserts, IEnumerable<BankEntryKey> removals)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removals);
        var removed = new HashSet<BankEntryKey>(removals);
        var added = new Dictionary<BankEntryKey, BankEntry>();
        foreach (var e in upserts)
        {
            ArgumentNullException.ThrowIfNull(e);
            removed.Remove(e.Key);
            added[e.Key] = e;
        }

        // An upsert of an identical entry changes nothing.
        foreach (var (key, e) in added.ToList())
        {
            if (TryGet(key, out var existing) && existing == e)
            {
                added.Remove(key);
            }
        }

        var sketches = new List<EntrySketch>(added.Count);
        foreach (var e in added.Values)
        {
            sketches.Add(_engine.Sketch(e)); // throws before anything changed
        }

        var content = _content;
        ulong[]? dead = null;
        var deadCount = _deadCount;
        var deltaChanged = sketches.Count > 0;
        var keepDelta = new bool[_delta.Count];
        Array.Fill(keepDelta, true);
        foreach (var key in removed.Concat(added.Keys))
        {
            var d = _delta.IndexOf(key);
            if (d >= 0)
            {
                keepDelta[d] = false;
                deltaChanged = true;
                content ^= BankEngine.ContentHash(_delta.Entries[d]);
                continue;
            }

            var b = _base.IndexOf(key);
            if (b >= 0 && !IsDead(b))
            {
                dead ??= _dead is null ? new ulong[(_base.Count + 63) / 64] : (ulong[])_dead.Clone();
                if ((dead[b >> 6] & (1UL << b)) == 0)
                {
                    dead[b >> 6] |= 1UL << b;
                    deadCount++;
                    content ^= BankEngine.ContentHash(_base.Entries[b]);
                }
            }
        }

        if (!deltaChanged && dead is null)
        {
            return this;
        }

        var delta = _delta;
        if (deltaChanged)
        {
            var bands = _engine.Options.Bands;
            var all = new List<EntrySketch>(_delta.Count + sketches.Count);
            for (var i = 0; i < _delta.Count; i++)
            {
                if (keepDelta[i])
                {
                    all.Add(_delta.SketchOf(i, bands));
                }
            }

            foreach (var s in sketches)
            {
                all.Add(s);
                content ^= BankEngine.ContentHash(s.Entry);
            }

            delta = BankSegment.Build(all, bands, keepKeys: true);
        }

        return new BankIndex(_engine, _base, dead ?? _dead, deadCount, delta, content);
    }

    /// <summary>The same contents (and <see cref="Version"/>) as one freshly built base segment.</summary>
    public BankIndex Compact(int parallelism = 1) => Build(_engine, Entries.ToList(), parallelism);

    /// <summary>
    /// Every bank with an entry that <paramref name="text"/> matches at or above that entry's threshold:
    /// the best verified entry per bank (highest similarity, then lowest entry id), highest similarity
    /// first. Candidates are verified in order of LSH collisions, at most
    /// <see cref="BankIndexOptions.MaxVerified"/> per window.
    /// Allocates only when something matches.
    /// </summary>
    public IReadOnlyList<BankMatch> Match(string text) => Match(text, null);

    /// <summary><see cref="Match(string)"/>, counting its work into <paramref name="statistics"/>.</summary>
    public IReadOnlyList<BankMatch> Match(string text, MatchStatistics? statistics)
    {
        if (statistics is not null)
        {
            statistics.Posts++;
        }

        if (Count == 0 || string.IsNullOrEmpty(text))
        {
            return [];
        }

        var scratch = _engine.Pool.Get();
        try
        {
            var folded = scratch.Post;
            folded.Fold(text);
            var length = folded.Length;
            var window = _engine.Options.WindowChars;
            MatchWindow(scratch, 0, length, statistics);
            if (length > window)
            {
                // Also half-overlapping windows, so a known text pasted into a long post is found: any text
                // of up to window/2 folded characters lies wholly inside one of them.
                for (var start = 0; ; start += window / 2)
                {
                    var s = Math.Min(start, length - window);
                    MatchWindow(scratch, s, s + window, statistics);
                    if (s + window >= length)
                    {
                        break;
                    }
                }
            }

            if (scratch.Best.Count == 0)
            {
                return [];
            }

            var result = scratch.Best.ToArray();
            Array.Sort(result, static (a, b) =>
            {
                var c = b.Similarity.CompareTo(a.Similarity);
                return c != 0 ? c : a.Entry.Key.CompareTo(b.Entry.Key);
            });
            return result;
        }
        finally
        {
            _engine.Pool.Return(scratch);
        }
    }

    private void MatchWindow(MatchScratch scratch, int from, int to, MatchStatistics? statistics)
    {
        var options = _engine.Options;
        var k = options.ShingleLength;
        var chars = scratch.Post.Chars[from..to];
        var n = Shingles.Distinct(chars, k, ref scratch.PostShingles);
        if (n < options.MinShingles)
        {
            return;
        }

        if (statistics is not null)
        {
            statistics.Windows++;
        }

        var post = scratch.PostShingles.AsSpan(0, n);
        _engine.Hasher.Sign(post, scratch.Signature);
        _engine.Hasher.BandKeys(scratch.Signature, scratch.Keys);
        var touched = 0UL;
        foreach (var key in scratch.Keys)
        {
            touched ^= _base.Table.Touch(key);
        }

        scratch.Touched = touched;
        var candidates = scratch.Candidates;
        candidates.Clear();
        foreach (var key in scratch.Keys)
        {
            _base.Table.Lookup(key, candidates, 0);
            _delta.Table.Lookup(key, candidates, DeltaTag);
        }

        if (candidates.Count == 0)
        {
            return;
        }

        // Rank the distinct candidates by the number of bands they collide in (the LSH's own estimate of
        // similarity), so the likeliest are verified first; a bank that already has a match skips
        // candidates that collide in fewer bands, and at most MaxVerified are verified per window. A
        // campaign confirmed into a bank thousands of times thus costs a bounded number of verifications.
        candidates.Sort();
        var ranked = scratch.Ranked;
        ranked.Clear();
        for (var i = 0; i < candidates.Count;)
        {
            var j = i + 1;
            while (j < candidates.Count && candidates[j] == candidates[i])
            {
                j++;
            }

            ranked.Add(((long)(256 - (j - i)) << 32) | (uint)candidates[i]);
            i = j;
        }

        ranked.Sort();
        var verified = 0;
        foreach (var r in ranked)
        {
            var collisions = 256 - (int)(r >> 32);
            var c = (int)(uint)r;
            var segment = (c & DeltaTag) != 0 ? _delta : _base;
            var i = c & ~DeltaTag;
            if (segment == _base && IsDead(i))
            {
                continue;
            }

            if (statistics is not null)
            {
                statistics.Candidates++;
            }

            var entry = segment.Entries[i];
            var m = segment.ShingleCounts[i];
            // Jaccard can be at most min/max of the set sizes: most chance candidates stop here unhashed.
            if (Math.Min(n, m) < entry.Threshold * Math.Max(n, m) || Dominated(scratch, entry.BankId, collisions))
            {
                continue;
            }

            if (verified++ == options.MaxVerified)
            {
                break;
            }

            var em = _engine.ShingleSet(entry.Text, scratch.Entry, ref scratch.EntryShingles);
            var theirs = scratch.EntryShingles.AsSpan(0, em);
            var similarity = Shingles.Jaccard(post, theirs);
            if (statistics is not null)
            {
                statistics.Verified++;
                statistics.Matches += similarity >= entry.Threshold ? 1 : 0;
            }

            if (similarity < entry.Threshold)
            {
                continue;
            }

            Offer(scratch, entry, similarity, collisions, from, to, theirs);
        }
    }

    /// <summary>True when the bank already has a match that collided in more bands than this candidate.</summary>
    private static bool Dominated(MatchScratch scratch, string bankId, int collisions)
    {
        var best = scratch.Best;
        for (var i = 0; i < best.Count; i++)
        {
            if (string.Equals(best[i].Entry.BankId, bankId, StringComparison.Ordinal))
            {
                return collisions < scratch.BestCollisions[i];
            }
        }

        return false;
    }

    /// <summary>Keeps the best verified match per bank, computing the span only for an improvement.</summary>
    private void Offer(MatchScratch scratch, BankEntry entry, double similarity, int collisions, int from, int to, ReadOnlySpan<ulong> theirs)
    {
        var best = scratch.Best;
        var at = -1;
        for (var i = 0; i < best.Count; i++)
        {
            if (string.Equals(best[i].Entry.BankId, entry.BankId, StringComparison.Ordinal))
            {
                at = i;
                break;
            }
        }

        if (at >= 0)
        {
            var held = best[at];
            if (similarity < held.Similarity || (similarity == held.Similarity && held.Entry.EntryId <= entry.EntryId))
            {
                return;
            }
        }

        var (start, end) = Span(scratch.Post, from, to, theirs);
        var match = new BankMatch(entry, similarity, start, end);
        if (at >= 0)
        {
            best[at] = match;
            scratch.BestCollisions[at] = Math.Max(collisions, scratch.BestCollisions[at]);
        }
        else
        {
            best.Add(match);
            scratch.BestCollisions.Add(collisions);
        }
    }

    /// <summary>Original offsets from the first to the last shingle of the window that the entry also has.</summary>
    private (int Start, int End) Span(FoldedText post, int from, int to, ReadOnlySpan<ulong> theirs)
    {
        var k = _engine.Options.ShingleLength;
        var chars = post.Chars;
        int first = -1, last = -1;
        for (var p = from; p + k <= to; p++)
        {
            if (theirs.BinarySearch(Shingles.Pack(chars.Slice(p, k))) >= 0)
            {
                if (first < 0)
                {
                    first = p;
                }

                last = p;
            }
        }

        return (post.StartOf(first), post.EndOf(last + k - 1));
    }

    private bool IsDead(int i) => _dead is not null && (_dead[i >> 6] & (1UL << i)) != 0;

    private static BankIndex Build(BankEngine engine, IEnumerable<BankEntry> entries, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var byKey = new Dictionary<BankEntryKey, BankEntry>();
        foreach (var e in entries)
        {
            ArgumentNullException.ThrowIfNull(e);
            byKey[e.Key] = e;
        }

        var list = byKey.Values.ToArray();
        var sketches = new EntrySketch[list.Length];
        var hashes = new UInt128[list.Length];
        if (parallelism <= 1)
        {
            for (var i = 0; i < list.Length; i++)
            {
                sketches[i] = engine.Sketch(list[i]);
                hashes[i] = BankEngine.ContentHash(list[i]);
            }
        }
        else
        {
            try
            {
                Parallel.For(0, list.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
                {
                    sketches[i] = engine.Sketch(list[i]);
                    hashes[i] = BankEngine.ContentHash(list[i]);
                });
            }
            catch (AggregateException ex) when (ex.InnerException is ArgumentException inner)
            {
                throw inner;
            }
        }

        var content = UInt128.Zero;
        foreach (var h in hashes)
        {
            content ^= h;
        }

        var @base = BankSegment.Build(sketches, engine.Options.Bands, keepKeys: false);
        return new BankIndex(engine, @base, null, 0, BankSegment.Empty, content);
    }
}
