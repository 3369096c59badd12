using Moderation.Banks.Text;

namespace Moderation.Banks;

/// <summary>
/// The similarity the index verifies, for callers outside the hot path: showing a reviewer how close two
/// texts are, checking an import, benchmarking other hashes on the same shingles.
/// </summary>
public static class BankText
{
    /// <summary>The distinct shingles of a text after folding, sorted (each shingle packed into 64 bits).</summary>
    public static ulong[] ShingleSet(string text, BankIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var k = (options ?? new BankIndexOptions()).ShingleLength;
        var folded = new FoldedText();
        folded.Fold(text);
        var buffer = new ulong[Math.Max(16, folded.Length)];
        var n = Shingles.Distinct(folded.Chars, k, ref buffer);
        return buffer.AsSpan(0, n).ToArray();
    }

    /// <summary>The folded form the shingles are cut from (digit runs shown as '#').</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = new FoldedText();
        folded.Fold(text);
        return folded.Chars.ToString();
    }

    /// <summary>Exact Jaccard similarity of two sorted distinct shingle sets.</summary>
    public static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b) => Shingles.Jaccard(a, b);

    /// <summary>Exact Jaccard similarity of two texts' shingle sets: what a match reports.</summary>
    public static double Similarity(string a, string b, BankIndexOptions? options = null) =>
        Shingles.Jaccard(ShingleSet(a, options), ShingleSet(b, options));
}
