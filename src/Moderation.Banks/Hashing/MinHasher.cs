using System.Numerics;
using System.Runtime.InteropServices;

namespace Moderation.Banks.Hashing;

/// <summary>
/// MinHash signatures and LSH band keys. Hash function i of a shingle x is fmix32(h(x) xor seed_i), where
/// h is a 64→32-bit mix of the packed shingle: a bijection per seed, so each is a pseudo-random
/// permutation of 32-bit values. Computed with <see cref="Vector{T}"/> lanes (8 on AVX2), and lane for
/// lane the same on every machine, so signatures do not depend on the hardware.
/// Immutable: share it freely.
/// </summary>
internal sealed class MinHasher
{
    private readonly uint[] _seeds;
    private readonly ulong[] _bandSeeds;
    private readonly int _rows;

    public MinHasher(BankIndexOptions options)
    {
        Length = options.SignatureLength;
        Bands = options.Bands;
        _rows = options.RowsPerBand;
        // Pad to whole vectors (16 lanes covers AVX-512); the padding lanes are computed and ignored.
        PaddedLength = (Length + 15) / 16 * 16;
        _seeds = new uint[PaddedLength];
        var s = options.Seed;
        for (var i = 0; i < _seeds.Length; i++)
        {
            s = Mix.Fmix64(s + 0x9E3779B97F4A7C15UL);
            _seeds[i] = (uint)s;
        }

        _bandSeeds = new ulong[Bands];
        for (var i = 0; i < Bands; i++)
        {
            s = Mix.Fmix64(s + 0x9E3779B97F4A7C15UL);
            _bandSeeds[i] = s;
        }
    }

    /// <summary>Values in a signature.</summary>
    public int Length { get; }

    /// <summary>Size of the buffer <see cref="Sign"/> writes (a multiple of the vector width).</summary>
    public int PaddedLength { get; }

    public int Bands { get; }

    /// <summary>The MinHash signature of a non-empty set of packed shingles.</summary>
    public void Sign(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        var sig = signature[..PaddedLength];
        sig.Fill(uint.MaxValue);
        if (Vector.IsHardwareAccelerated && PaddedLength % Vector<uint>.Count == 0)
        {
            var seeds = MemoryMarshal.Cast<uint, Vector<uint>>(_seeds.AsSpan());
            var mins = MemoryMarshal.Cast<uint, Vector<uint>>(sig);
            var c1 = new Vector<uint>(0x85ebca6bU);
            var c2 = new Vector<uint>(0xc2b2ae35U);
            foreach (var x in shingles)
            {
                var h = new Vector<uint>(Base(x));
                for (var j = 0; j < mins.Length; j++)
                {
                    var v = h ^ seeds[j];
                    v ^= Vector.ShiftRightLogical(v, 16);
                    v *= c1;
                    v ^= Vector.ShiftRightLogical(v, 13);
                    v *= c2;
                    v ^= Vector.ShiftRightLogical(v, 16);
                    mins[j] = Vector.Min(mins[j], v);
                }
            }

            return;
        }

        foreach (var x in shingles)
        {
            var h = Base(x);
            for (var j = 0; j < sig.Length; j++)
            {
                var v = Mix.Fmix32(h ^ _seeds[j]);
                if (v < sig[j])
                {
                    sig[j] = v;
                }
            }
        }
    }

    /// <summary>One 32-bit key per band (never 0, which marks an empty table slot).</summary>
    public void BandKeys(ReadOnlySpan<uint> signature, Span<uint> keys)
    {
        for (var b = 0; b < Bands; b++)
        {
            var acc = _bandSeeds[b];
            var row = signature.Slice(b * _rows, _rows);
            foreach (var v in row)
            {
                acc = (acc ^ v) * 0x9E3779B97F4A7C15UL;
            }

            var key = (uint)(Mix.Fmix64(acc) >> 32);
            keys[b] = key == 0 ? 1 : key;
        }
    }

    /// <summary>Fraction of equal values: the MinHash estimate of Jaccard similarity (tests and diagnostics).</summary>
    public double Estimate(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var same = 0;
        for (var i = 0; i < Length; i++)
        {
            if (a[i] == b[i])
            {
                same++;
            }
        }

        return (double)same / Length;
    }

    private static uint Base(ulong shingle) => (uint)(Mix.Fmix64(shingle) >> 32);
}
