namespace Moderation.Banks.Text;

/// <summary>
/// Character shingles of a folded text. A shingle of up to four UTF-16 characters packs exactly into a
/// <see cref="ulong"/>, so sets of shingles are compared exactly (no hash collisions in the verified
/// similarity).
/// </summary>
internal static class Shingles
{
    public static ulong Pack(ReadOnlySpan<char> chars)
    {
        ulong v = 0;
        foreach (var c in chars)
        {
            v = (v << 16) | c;
        }

        return v;
    }

    /// <summary>Number of shingles (with repeats) in a folded text of <paramref name="length"/> characters.</summary>
    public static int Count(int length, int k) => Math.Max(0, length - k + 1);

    /// <summary>The distinct shingles of <paramref name="chars"/>, sorted, into <paramref name="buffer"/> (grown as needed).</summary>
    public static int Distinct(ReadOnlySpan<char> chars, int k, ref ulong[] buffer)
    {
        var n = Count(chars.Length, k);
        if (n == 0)
        {
            return 0;
        }

        if (buffer.Length < n)
        {
            buffer = new ulong[Math.Max(n, buffer.Length * 2)];
        }

        var mask = k == 4 ? ulong.MaxValue : (1UL << (16 * k)) - 1;
        var v = Pack(chars[..(k - 1)]);
        for (var i = 0; i < n; i++)
        {
            v = ((v << 16) | chars[i + k - 1]) & mask;
            buffer[i] = v;
        }

        var span = buffer.AsSpan(0, n);
        span.Sort();
        var w = 1;
        for (var i = 1; i < n; i++)
        {
            if (span[i] != span[w - 1])
            {
                span[w++] = span[i];
            }
        }

        return w;
    }

    /// <summary>|A ∩ B| of two sorted distinct sets.</summary>
    public static int IntersectionCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int i = 0, j = 0, n = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = a[i];
            var y = b[j];
            if (x == y)
            {
                n++;
                i++;
                j++;
            }
            else if (x < y)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return n;
    }

    public static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var i = IntersectionCount(a, b);
        return (double)i / (a.Length + b.Length - i);
    }
}
