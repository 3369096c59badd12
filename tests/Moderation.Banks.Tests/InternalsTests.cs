using Moderation.Banks.Hashing;
using Moderation.Banks.Index;
using Moderation.Banks.Text;

namespace Moderation.Banks.Tests;

public sealed class InternalsTests
{
    [Fact]
    public void The_band_table_returns_exactly_the_entries_stored_under_a_key()
    {
        var random = new Random(11);
        foreach (var size in new[] { 1, 2, 17, 1000, 20000 })
        {
            var expected = new Dictionary<uint, List<int>>();
            var postings = new ulong[size];
            for (var i = 0; i < size; i++)
            {
                // Few distinct keys for some sizes (long lists), near-unique for others; never 0.
                var key = (uint)(size < 100 ? random.Next(1, 5) : random.Next(1, int.MaxValue)) | (i % 7 == 0 ? 0x8000_0000u : 0);
                postings[i] = ((ulong)key << 32) | (uint)i;
                (expected.TryGetValue(key, out var list) ? list : expected[key] = []).Add(i);
            }

            var table = BandTable.Build(postings, size);
            var found = new List<int>();
            foreach (var (key, list) in expected)
            {
                found.Clear();
                table.Lookup(key, found, 0);
                Assert.Equal(list.Order(), found.Order());
            }

            for (var probe = 0; probe < 1000; probe++)
            {
                var key = (uint)random.Next(1, int.MaxValue);
                found.Clear();
                table.Lookup(key, found, 0);
                Assert.Equal(expected.TryGetValue(key, out var list) ? list.Count : 0, found.Count);
            }
        }
    }

    [Fact]
    public void The_minhash_estimate_follows_the_exact_jaccard_similarity()
    {
        var options = new BankIndexOptions { Bands = 32, RowsPerBand = 4 };
        var hasher = new MinHasher(options);
        var random = new Random(5);
        double error = 0;
        var pairs = 0;
        foreach (var a in Texts.Pool)
        {
            foreach (var b in Texts.Pool.Select(Texts.Variant).Append(a[..(a.Length / 2)] + Texts.Pool[random.Next(Texts.Pool.Length)]))
            {
                var sa = Moderation.Banks.BankText.ShingleSet(a, options);
                var sb = Moderation.Banks.BankText.ShingleSet(b, options);
                var siga = new uint[hasher.PaddedLength];
                var sigb = new uint[hasher.PaddedLength];
                hasher.Sign(sa, siga);
                hasher.Sign(sb, sigb);
                error += Math.Abs(hasher.Estimate(siga, sigb) - Shingles.Jaccard(sa, sb));
                pairs++;
            }
        }

        // 128 hash functions: the standard error of one estimate is at most 0.044.
        Assert.InRange(error / pairs, 0, 0.04);
    }

    [Fact]
    public void Digit_runs_collapse_across_separators_and_keep_their_original_range()
    {
        var folded = new FoldedText();
        folded.Fold("电话：138 1234 5678。");
        Assert.Equal("电话#", folded.Chars.ToString());
        Assert.Equal(3, folded.StartOf(2));
        Assert.Equal(16, folded.EndOf(2));
    }
}
