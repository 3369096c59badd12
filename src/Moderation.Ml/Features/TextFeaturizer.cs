using Microsoft.ML.Data;

namespace Moderation.Ml.Features;

/// <summary>Per-caller scratch space so featurising allocates nothing on the hot path. Not thread-safe: one per pooled predictor.</summary>
public sealed class FeatureScratch
{
    internal char[] Chars = new char[256];
    internal int[] Hashes = new int[1024];
    internal int[] Indices = new int[1024];
    internal float[] Values = new float[1024];
    internal int[] SlotKeys = new int[2048];
    internal int[] SlotPositions = new int[2048];
    internal int[] SlotStamps = new int[2048];
    internal int Stamp;
}

/// <summary>
/// Hashed character n-grams (plus latin words) with log term frequency, L2-normalised.
/// Done in plain C# rather than an ML.NET text transform: it is several times faster on one
/// thread, and the same code runs in training and serving.
/// </summary>
public sealed class TextFeaturizer
{
    private const uint Prime = 16777619;
    private readonly FeaturizerSettings _settings;
    private readonly int _mask;

    private readonly DetectorFeatureSource? _detector;

    /// <param name="detector">Required when <see cref="FeaturizerSettings.DetectorFeatures"/> is set: the detector whose findings become features.</param>
    public TextFeaturizer(FeaturizerSettings settings, DetectorFeatureSource? detector = null)
    {
        if (settings.DetectorFeatures && detector is null)
        {
            throw new ArgumentException("these featurizer settings use detector features: pass a DetectorFeatureSource", nameof(detector));
        }

        _detector = settings.DetectorFeatures ? detector : null;
        if (settings.HashBits is < 8 or > 24 || settings.MinNgram < 1 || settings.MaxNgram < settings.MinNgram || settings.MaxNgram > 8)
        {
            throw new ArgumentException("invalid featurizer settings", nameof(settings));
        }

        _settings = settings;
        _mask = (1 << settings.HashBits) - 1;
    }

    public int Dimension => 1 << _settings.HashBits;

    public FeaturizerSettings Settings => _settings;

    /// <summary>Allocating variant for training: the result owns its arrays.</summary>
    public VBuffer<float> Featurize(string text)
    {
        var scratch = new FeatureScratch();
        var count = Featurize(text, scratch);
        return new VBuffer<float>(Dimension, count, scratch.Values[..count], scratch.Indices[..count]);
    }

    /// <summary>Fills <paramref name="scratch"/>'s Indices/Values; returns how many are set.</summary>
    /// <param name="sorted">ML.NET needs sorted indices; the direct scoring path does not and skips the sort.</param>
    public int Featurize(ReadOnlySpan<char> text, FeatureScratch scratch, bool sorted = true)
    {
        var len = Math.Min(text.Length, _settings.MaxChars);
        if (scratch.Chars.Length < len)
        {
            scratch.Chars = new char[Math.Max(len, scratch.Chars.Length * 2)];
        }

        var chars = scratch.Chars;
        var n = TextNormalizer.Normalize(text[..len], chars);
        var maxN = _settings.MaxNgram;
        var minN = _settings.MinNgram;
        var needed = n * (maxN - minN + 1) + n + 1;
        if (scratch.Hashes.Length < needed)
        {
            scratch.Hashes = new int[needed * 2];
            scratch.Indices = new int[needed * 2];
            scratch.Values = new float[needed * 2];
        }

        var hashes = scratch.Hashes;
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            var h = 2166136261u;
            var end = Math.Min(n, i + maxN);
            for (var j = i; j < end; j++)
            {
                h = (h ^ chars[j]) * Prime;
                if (j - i + 1 >= minN)
                {
                    hashes[m++] = (int)(Mix(h + (uint)(j - i)) & (uint)_mask);
                }
            }
        }

        if (_settings.LatinWords)
        {
            var start = -1;
            for (var i = 0; i <= n; i++)
            {
                var isLetter = i < n && chars[i] is >= 'a' and <= 'z';
                if (isLetter && start < 0)
                {
                    start = i;
                }
                else if (!isLetter && start >= 0)
                {
                    if (i - start >= 2)
                    {
                        var h = 0x9E3779B9u;
                        for (var j = start; j < i; j++)
                        {
                            h = (h ^ chars[j]) * Prime;
                        }

                        hashes[m++] = (int)(Mix(h) & (uint)_mask);
                    }

                    start = -1;
                }
            }
        }

        if (m == 0)
        {
            return 0;
        }

        var indices = scratch.Indices;
        var values = scratch.Values;
        int count;
        if (sorted)
        {
            Array.Sort(hashes, 0, m);
            count = 0;
            var run = 1;
            for (var i = 1; i <= m; i++)
            {
                if (i < m && hashes[i] == hashes[i - 1])
                {
                    run++;
                    continue;
                }

                indices[count] = hashes[i - 1];
                values[count] = run;
                count++;
                run = 1;
            }
        }
        else
        {
            count = CountUnsorted(hashes, m, scratch);
        }

        for (var i = 0; i < count; i++)
        {
            values[i] = 1f + MathF.Log(values[i]);
        }

        var norm = 0f;
        for (var i = 0; i < count; i++)
        {
            norm += values[i] * values[i];
        }

        var inv = 1f / MathF.Sqrt(norm);
        for (var i = 0; i < count; i++)
        {
            values[i] *= inv;
        }

        return _detector is null ? count : AddDetectorFeatures(text, scratch, count, sorted);
    }

    /// <summary>Appends one feature per detector token (after normalisation), merging any that collide with an n-gram.</summary>
    private int AddDetectorFeatures(ReadOnlySpan<char> text, FeatureScratch scratch, int count, bool sorted)
    {
        var tokens = _detector!.Tokens(text.ToString());
        if (tokens.Count == 0)
        {
            return count;
        }

        if (scratch.Indices.Length < count + tokens.Count)
        {
            Array.Resize(ref scratch.Indices, (count + tokens.Count) * 2);
            Array.Resize(ref scratch.Values, (count + tokens.Count) * 2);
        }

        var indices = scratch.Indices;
        var values = scratch.Values;
        foreach (var token in tokens)
        {
            var h = 0x7F4A7C15u;
            foreach (var c in token)
            {
                h = (h ^ c) * Prime;
            }

            var index = (int)(Mix(h) & (uint)_mask);
            var at = Array.IndexOf(indices, index, 0, count);
            if (at >= 0)
            {
                values[at] += _settings.DetectorFeatureWeight;
                continue;
            }

            indices[count] = index;
            values[count] = _settings.DetectorFeatureWeight;
            count++;
        }

        if (sorted)
        {
            Array.Sort(indices, values, 0, count);
        }

        return count;
    }

    /// <summary>Distinct features and their counts via a stamped open-addressing table: O(n), no sort.</summary>
    private static int CountUnsorted(int[] hashes, int m, FeatureScratch scratch)
    {
        var size = scratch.SlotKeys.Length;
        if (size < m * 2)
        {
            size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(m * 2));
            scratch.SlotKeys = new int[size];
            scratch.SlotPositions = new int[size];
            scratch.SlotStamps = new int[size];
            scratch.Stamp = 0;
        }

        var stamp = ++scratch.Stamp;
        if (stamp == int.MaxValue)
        {
            Array.Clear(scratch.SlotStamps);
            scratch.Stamp = stamp = 1;
        }

        var keys = scratch.SlotKeys;
        var positions = scratch.SlotPositions;
        var stamps = scratch.SlotStamps;
        var indices = scratch.Indices;
        var values = scratch.Values;
        var mask = size - 1;
        var count = 0;
        for (var i = 0; i < m; i++)
        {
            var key = hashes[i];
            var slot = (int)((uint)key * 0x9E3779B1u >> 7) & mask;
            while (true)
            {
                if (stamps[slot] != stamp)
                {
                    stamps[slot] = stamp;
                    keys[slot] = key;
                    positions[slot] = count;
                    indices[count] = key;
                    values[count] = 1;
                    count++;
                    break;
                }

                if (keys[slot] == key)
                {
                    values[positions[slot]] += 1;
                    break;
                }

                slot = (slot + 1) & mask;
            }
        }

        return count;
    }

    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
