using System.Globalization;
using System.Numerics;
using Moderation.Banks;

namespace Moderation.Cli.Banks;

/// <summary>
/// The measured alternative: a 64-bit SimHash over the same folded shingles, matched by Hamming distance.
/// Quality is measured by brute force against the campaign banks; the cost of indexing it is measured as
/// the candidates a permuted-table (pigeonhole) lookup would have to check at the largest bank size.
/// </summary>
internal static class SimHashComparison
{
    private static readonly int[] Distances = [3, 6, 10, 14, 18];

    public static ulong Hash(string text, BankIndexOptions options)
    {
        var shingles = BankText.ShingleSet(text, options);
        Span<int> votes = stackalloc int[64];
        foreach (var s in shingles)
        {
            var h = Fmix64(s ^ 0x5bd1e9955bd1e995UL);
            for (var b = 0; b < 64; b++)
            {
                votes[b] += ((h >> b) & 1) != 0 ? 1 : -1;
            }
        }

        ulong result = 0;
        for (var b = 0; b < 64; b++)
        {
            if (votes[b] > 0)
            {
                result |= 1UL << b;
            }
        }

        return result;
    }

    /// <summary>Recall and clean false matches at several Hamming distances, brute force over the campaign banks.</summary>
    public static void Quality(List<CampaignRun> runs, List<string> cleanZh, List<string> coldClean, BankIndexOptions options)
    {
        var banks = runs.Select(r => r.Confirmed.Select(t => Hash(t, options)).ToArray()).ToArray();
        var all = banks.SelectMany(b => b).ToArray();
        var rest = runs.Select(r => r.Rest.Where(t => Long(t, options)).Select(t => Hash(t, options)).ToArray()).ToArray();
        var clean = cleanZh.Concat(coldClean).Where(t => Long(t, options)).Select(t => Hash(t, options)).ToArray();
        var cleanTotal = cleanZh.Count + coldClean.Count;
        var restTotal = runs.Sum(r => r.Rest.Count);
        foreach (var d in Distances)
        {
            var caught = 0;
            for (var c = 0; c < runs.Count; c++)
            {
                caught += rest[c].Count(h => banks[c].Any(e => BitOperations.PopCount(h ^ e) <= d));
            }

            var falseMatches = clean.Count(h => all.Any(e => BitOperations.PopCount(h ^ e) <= d));
            BenchBanksCommand.Out(string.Create(CultureInfo.InvariantCulture,
                $"SimHash-64 over the same shingles, Hamming <= {d,2}: recall {100.0 * caught / restTotal:F1}%, clean matched {falseMatches} = {100.0 * falseMatches / cleanTotal:F3}%"));
        }
    }

    /// <summary>
    /// What indexing SimHash would cost: Hamming distance ≤ d is found with d + 1 tables keyed by one block
    /// of 64/(d + 1) bits each (pigeonhole); a query checks every entry sharing any of its blocks.
    /// </summary>
    public static void Candidates(List<BankEntry> entries, string[] queries, BankIndexOptions options)
    {
        var hashes = entries.Select(e => Hash(e.Text, options)).ToArray();
        var sample = queries.Take(2000).Select(q => Hash(q, options)).ToArray();
        foreach (var d in Distances)
        {
            var blocks = d + 1;
            double total = 0;
            for (var b = 0; b < blocks; b++)
            {
                var (shift, width) = Block(b, blocks);
                var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
                var counts = new Dictionary<ulong, int>();
                foreach (var h in hashes)
                {
                    var key = (h >> shift) & mask;
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }

                foreach (var q in sample)
                {
                    total += counts.GetValueOrDefault((q >> shift) & mask);
                }
            }

            BenchBanksCommand.Out(string.Create(CultureInfo.InvariantCulture,
                $"SimHash index at {entries.Count:N0} entries, Hamming <= {d,2}: {blocks} tables of {64 / blocks}-{(64 + blocks - 1) / blocks} bit keys, {total / sample.Length:F0} candidates to check per post (MinHash LSH above: see 'candidates')"));
        }
    }

    private static (int Shift, int Width) Block(int b, int blocks)
    {
        var start = b * 64 / blocks;
        var end = (b + 1) * 64 / blocks;
        return (start, end - start);
    }

    private static bool Long(string text, BankIndexOptions options) => BankText.ShingleSet(text, options).Length >= options.MinShingles;

    private static ulong Fmix64(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
