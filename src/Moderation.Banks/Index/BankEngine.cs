using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.ObjectPool;
using Moderation.Banks.Hashing;
using Moderation.Banks.Text;

namespace Moderation.Banks.Index;

/// <summary>
/// What every snapshot of one index lineage shares: the options, the hash functions and the pool of
/// working memory. Immutable apart from the (thread-safe) pool.
/// </summary>
internal sealed class BankEngine
{
    public BankEngine(BankIndexOptions options)
    {
        options.Validate();
        Options = options.Clone();
        Hasher = new MinHasher(Options);
        Pool = new DefaultObjectPool<MatchScratch>(
            new MatchScratch.Policy(Hasher.PaddedLength, Options.Bands), Math.Max(4, Environment.ProcessorCount * 2));
        TagHash = Hash128(Options.Tag);
    }

    public BankIndexOptions Options { get; }

    public MinHasher Hasher { get; }

    public ObjectPool<MatchScratch> Pool { get; }

    /// <summary>Mixed into the content hash so that a change of parameters changes the version.</summary>
    public UInt128 TagHash { get; }

    /// <summary>Why <paramref name="entry"/> cannot be indexed, or null.</summary>
    public string? Problem(BankEntry entry, MatchScratch scratch, out int shingles)
    {
        shingles = 0;
        if (string.IsNullOrWhiteSpace(entry.BankId))
            return "the bank id is empty";
        if (entry.BankName is null)
            return "the bank name is missing";
        if (entry.Category is < 1 or > 9)
            return string.Create(CultureInfo.InvariantCulture, $"category must be 1-9 (got {entry.Category})");
        if (!Enum.IsDefined(entry.Action))
            return "action must be quarantine or block";
        if (double.IsNaN(entry.Threshold) || entry.Threshold < Options.MinThreshold || entry.Threshold > 1)
            return string.Create(CultureInfo.InvariantCulture, $"threshold must be between {Options.MinThreshold} and 1 (got {entry.Threshold})");
        if (entry.Text is null)
            return "the text is missing";
        var n = shingles = ShingleSet(entry.Text, scratch.Entry, ref scratch.EntryShingles);
        if (n < Options.MinShingles)
            return string.Create(CultureInfo.InvariantCulture,
                $"the text is too short to match safely: {n} distinct {Options.ShingleLength}-character shingles after folding, at least {Options.MinShingles} needed");
        return null;
    }

    /// <summary>Hashes an entry for the index; throws <see cref="ArgumentException"/> naming the entry when it cannot be indexed.</summary>
    public EntrySketch Sketch(BankEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var scratch = Pool.Get();
        try
        {
            if (Problem(entry, scratch, out var n) is { } problem)
            {
                throw new ArgumentException($"Bank entry {entry.Key} cannot be indexed: {problem}.", nameof(entry));
            }

            // Problem() left the entry's shingle set in the scratch buffer.
            Hasher.Sign(scratch.EntryShingles.AsSpan(0, n), scratch.Signature);
            var keys = new uint[Options.Bands];
            Hasher.BandKeys(scratch.Signature, keys);
            return new EntrySketch(entry, n, keys);
        }
        finally
        {
            Pool.Return(scratch);
        }
    }

    /// <summary>Folds <paramref name="text"/> and leaves its distinct sorted shingles in <paramref name="buffer"/>; returns their number.</summary>
    public int ShingleSet(string text, FoldedText folded, ref ulong[] buffer)
    {
        folded.Fold(text);
        return Shingles.Distinct(folded.Chars, Options.ShingleLength, ref buffer);
    }

    /// <summary>A 128-bit digest of everything about an entry that affects a decision; XORed into the index version.</summary>
    public static UInt128 ContentHash(BankEntry e)
    {
        var canonical = string.Create(CultureInfo.InvariantCulture,
            $"{e.BankId}\u001f{e.BankName}\u001f{e.EntryId}\u001f{e.Category}\u001f{e.SubLabel}\u001f{e.Action}\u001f{e.Threshold:R}\u001f{e.Text}");
        return Hash128(canonical);
    }

    private static UInt128 Hash128(string s)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(s), digest);
        return new UInt128(BitConverter.ToUInt64(digest[..8]), BitConverter.ToUInt64(digest[8..16]));
    }
}
