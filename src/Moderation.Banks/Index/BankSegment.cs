namespace Moderation.Banks.Index;

/// <summary>
/// An immutable run of entries sorted by key, with their shingle counts and the band table over them.
/// The big base segment drops its band keys after building (they are 4 × bands bytes per entry); the
/// small delta segment keeps them so the next add rebuilds it without rehashing its texts.
/// </summary>
internal sealed class BankSegment
{
    private BankSegment(BankEntry[] entries, int[] shingleCounts, BandTable table, uint[]? bandKeys)
    {
        Entries = entries;
        ShingleCounts = shingleCounts;
        Table = table;
        BandKeys = bandKeys;
    }

    public static BankSegment Empty { get; } = new([], [], BandTable.Empty, []);

    public BankEntry[] Entries { get; }

    public int[] ShingleCounts { get; }

    public BandTable Table { get; }

    public uint[]? BandKeys { get; }

    public int Count => Entries.Length;

    public long MemoryBytes => Table.MemoryBytes + (Entries.LongLength * 8) + (ShingleCounts.LongLength * 4) + ((BandKeys?.LongLength ?? 0) * 4);

    /// <summary>Builds from sketches in any order; <paramref name="keepKeys"/> keeps the band keys for cheap rebuilds.</summary>
    public static BankSegment Build(IReadOnlyList<EntrySketch> sketches, int bands, bool keepKeys)
    {
        if (sketches.Count == 0)
        {
            return Empty;
        }

        var order = new EntrySketch[sketches.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = sketches[i];
        }

        Array.Sort(order, static (a, b) => a.Entry.Key.CompareTo(b.Entry.Key));
        var entries = new BankEntry[order.Length];
        var counts = new int[order.Length];
        var postings = new ulong[(long)order.Length * bands];
        var keys = keepKeys ? new uint[(long)order.Length * bands] : null;
        var p = 0;
        for (var i = 0; i < order.Length; i++)
        {
            var s = order[i];
            entries[i] = s.Entry;
            counts[i] = s.ShingleCount;
            for (var b = 0; b < bands; b++)
            {
                var key = s.BandKeys[b];
                postings[p++] = ((ulong)key << 32) | (uint)i;
                if (keys is not null)
                {
                    keys[(i * bands) + b] = key;
                }
            }
        }

        return new BankSegment(entries, counts, BandTable.Build(postings, p), keys);
    }

    /// <summary>The sketch of entry <paramref name="i"/> rebuilt from the kept band keys (delta segments only).</summary>
    public EntrySketch SketchOf(int i, int bands) =>
        new(Entries[i], ShingleCounts[i], BandKeys!.AsSpan(i * bands, bands).ToArray());

    /// <summary>Position of the entry with <paramref name="key"/>, or -1.</summary>
    public int IndexOf(BankEntryKey key)
    {
        int lo = 0, hi = Entries.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = Entries[mid].Key.CompareTo(key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}

/// <summary>What the index keeps of an entry's hashing: its distinct shingle count and one key per band.</summary>
internal sealed record EntrySketch(BankEntry Entry, int ShingleCount, uint[] BandKeys);
