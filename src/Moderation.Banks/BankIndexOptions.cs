using System.Globalization;
using Moderation.Keywords.Normalization;

namespace Moderation.Banks;

/// <summary>
/// How texts are shingled and hashed. Every snapshot derived from one index shares these; changing any of
/// them changes what matches, so they are part of <see cref="BankIndex.Version"/>. The defaults are the ones
/// measured in docs/banks.md (<c>moderation bench-banks</c>).
/// </summary>
public sealed class BankIndexOptions
{
    /// <summary>Characters per shingle after folding (2–4). Each shingle packs exactly into 64 bits, so
    /// shingle sets are compared exactly, with no hash collisions.</summary>
    public int ShingleLength { get; set; } = 3;

    /// <summary>LSH bands. More bands find lower similarities and cost memory (one posting per band per entry).</summary>
    public int Bands { get; set; } = 32;

    /// <summary>MinHash values per band. More rows make a band key rarer (fewer chance candidates).</summary>
    public int RowsPerBand { get; set; } = 3;

    /// <summary>
    /// A text (entry or post window) needs at least this many distinct shingles to be indexed or matched:
    /// very short texts ("好的", "谢谢老板") would otherwise match everything that shares a phrase.
    /// </summary>
    public int MinShingles { get; set; } = 8;

    /// <summary>
    /// Posts longer than this many folded characters are also matched window by window (windows of this
    /// length, half-overlapping), so a known text pasted inside a long post is still found.
    /// </summary>
    public int WindowChars { get; set; } = 200;

    /// <summary>
    /// The threshold measured as the default for a bank (docs/banks.md): on the benchmark campaigns it
    /// catches 98% of the copies from 5% confirmed, with no clean row matched.
    /// </summary>
    public const double RecommendedThreshold = 0.4;

    /// <summary>
    /// The lowest entry threshold accepted: below it the banding finds too few candidates to trust (with
    /// 32 bands of 3 rows, a single entry at similarity 0.4 becomes a candidate with probability 0.88,
    /// at 0.45 with 0.95, at 0.5 with 0.99).
    /// </summary>
    public double MinThreshold { get; set; } = 0.4;

    /// <summary>
    /// At most this many candidates are verified per window (most collisions first): bounds the cost of a
    /// post that collides with a whole campaign confirmed into a bank thousands of times.
    /// </summary>
    public int MaxVerified { get; set; } = 64;

    /// <summary>
    /// The delta segment (plus removed base entries) may grow to the larger of this and 1/32 of the base
    /// before <see cref="BankIndex.NeedsCompaction"/> asks for a rebuild. Each add rebuilds the delta, so
    /// this bounds the cost of an add; a compaction costs about a full build.
    /// </summary>
    public int MinCompactionDelta { get; set; } = 4096;

    /// <summary>Seeds the hash functions. Fixed so that every worker and every replay hashes alike.</summary>
    public ulong Seed { get; set; } = 0x6d6f6465726174UL;

    public int SignatureLength => Bands * RowsPerBand;

    /// <summary>Part of every index version: what shingling, hashing and folding the matches came from.</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture,
        $"mh{ShingleLength}.{Bands}x{RowsPerBand}.m{MinShingles}.w{WindowChars}.v{MaxVerified}.{Seed:x}.{CharFolder.Version}");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (ShingleLength is < 2 or > 4)
            throw new ArgumentException($"ShingleLength must be 2-4 (got {ShingleLength}).");
        if (Bands is < 1 or > 256)
            throw new ArgumentException($"Bands must be 1-256 (got {Bands}).");
        if (RowsPerBand is < 1 or > 16)
            throw new ArgumentException($"RowsPerBand must be 1-16 (got {RowsPerBand}).");
        if (MinShingles < 1)
            throw new ArgumentException($"MinShingles must be at least 1 (got {MinShingles}).");
        if (WindowChars < MinShingles + ShingleLength)
            throw new ArgumentException($"WindowChars must be at least MinShingles + ShingleLength (got {WindowChars}).");
        if (MaxVerified < 1)
            throw new ArgumentException($"MaxVerified must be at least 1 (got {MaxVerified}).");
        if (MinCompactionDelta < 1)
            throw new ArgumentException($"MinCompactionDelta must be at least 1 (got {MinCompactionDelta}).");
        if (MinThreshold is <= 0 or > 1 || double.IsNaN(MinThreshold))
            throw new ArgumentException($"MinThreshold must be in (0, 1] (got {MinThreshold}).");
    }

    internal BankIndexOptions Clone() => (BankIndexOptions)MemberwiseClone();
}
