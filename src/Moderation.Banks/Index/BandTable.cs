namespace Moderation.Banks.Index;

/// <summary>
/// An immutable multimap from 32-bit LSH band keys to entry numbers, built once from all postings.
/// Open addressing with a monotone home slot (key × capacity / 2³²) and keys inserted in ascending order,
/// so each slot run is sorted: a lookup reads one or two cache lines and stops at the first larger key
/// or empty slot. A slot packs key (high 32 bits) and value (low 32): a value below 2³¹ is the only entry
/// for the key; otherwise it points into <see cref="_lists"/> at [count, entries…]. About 10 bytes per
/// posting at the 0.8 load factor.
/// </summary>
internal sealed class BandTable
{
    private const double LoadFactor = 0.8;
    private const uint ListFlag = 0x8000_0000;

    private readonly ulong[] _slots;
    private readonly int[] _lists;
    private readonly ulong _capacity;

    private BandTable(ulong[] slots, int[] lists, ulong capacity)
    {
        _slots = slots;
        _lists = lists;
        _capacity = capacity;
    }

    public static BandTable Empty { get; } = new([], [], 0);

    public long MemoryBytes => (_slots.LongLength * 8) + (_lists.LongLength * 4);

    /// <summary>
    /// Builds from postings packed as (key &lt;&lt; 32 | entry); the array is sorted in place.
    /// </summary>
    public static BandTable Build(ulong[] postings, int count)
    {
        if (count == 0)
        {
            return Empty;
        }

        var span = postings.AsSpan(0, count);
        span.Sort();

        var distinct = 1;
        var listInts = 0;
        for (int i = 1, run = 1; i <= count; i++)
        {
            if (i < count && span[i] >> 32 == span[i - 1] >> 32)
            {
                run++;
                continue;
            }

            if (run > 1)
            {
                listInts += run + 1;
            }

            if (i < count)
            {
                distinct++;
            }

            run = 1;
        }

        var capacity = (ulong)Math.Max(1, (long)(distinct / LoadFactor));
        // Runs can push the last keys past the capacity: find the last slot used before allocating.
        var end = 0L;
        for (var i = 0; i < count; i++)
        {
            if (i == 0 || span[i] >> 32 != span[i - 1] >> 32)
            {
                end = Math.Max((long)Home((uint)(span[i] >> 32), capacity), end) + 1;
            }
        }

        var slots = new ulong[end];
        var lists = new int[listInts];
        var next = 0L;
        var listAt = 0;
        for (var i = 0; i < count;)
        {
            var key = (uint)(span[i] >> 32);
            var j = i + 1;
            while (j < count && (uint)(span[j] >> 32) == key)
            {
                j++;
            }

            uint value;
            if (j - i == 1)
            {
                value = (uint)span[i];
            }
            else
            {
                value = ListFlag | (uint)listAt;
                lists[listAt++] = j - i;
                for (var t = i; t < j; t++)
                {
                    lists[listAt++] = (int)(uint)span[t];
                }
            }

            var pos = Math.Max((long)Home(key, capacity), next);
            slots[pos] = ((ulong)key << 32) | value;
            next = pos + 1;
            i = j;
        }

        return new BandTable(slots, lists, capacity);
    }

    /// <summary>
    /// Reads the home slot of <paramref name="key"/>. Called for every band before any lookup: the loads
    /// are independent, so the processor overlaps their cache misses instead of taking them one by one.
    /// </summary>
    public ulong Touch(uint key)
    {
        // The table ends at its last used slot, so a home past it holds nothing.
        var home = (long)Home(key, _capacity);
        return home < _slots.Length ? _slots[home] : 0;
    }

    /// <summary>Adds the entries stored under <paramref name="key"/> to <paramref name="into"/>, each ORed with <paramref name="tag"/>.</summary>
    public void Lookup(uint key, List<int> into, int tag)
    {
        if (_capacity == 0)
        {
            return;
        }

        var slots = _slots;
        for (var pos = (long)Home(key, _capacity); pos < slots.Length; pos++)
        {
            var slot = slots[pos];
            var k = (uint)(slot >> 32);
            if (k == key)
            {
                var value = (uint)slot;
                if ((value & ListFlag) == 0)
                {
                    into.Add((int)value | tag);
                    return;
                }

                var at = (int)(value & ~ListFlag);
                var n = _lists[at];
                for (var t = 1; t <= n; t++)
                {
                    into.Add(_lists[at + t] | tag);
                }

                return;
            }

            if (slot == 0 || k > key)
            {
                return;
            }
        }
    }

    private static ulong Home(uint key, ulong capacity) => ((ulong)key * capacity) >> 32;
}
