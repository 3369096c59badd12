using System.Text;

namespace Moderation.Keywords.Tests;

/// <summary>
/// The automaton (double array, failure links, branch-free step) against a naive search, on a tiny
/// alphabet where terms overlap and nest heavily. No adjacent repeats, so collapsing never applies.
/// </summary>
public sealed class AutomatonDifferentialTests
{
    private const string Alphabet = "甲乙丙丁戊";

    [Fact]
    public void Finds_exactly_what_a_naive_search_finds()
    {
        var random = new Random(4242);
        for (var round = 0; round < 200; round++)
        {
            var terms = Enumerable.Range(0, random.Next(1, 40)).Select(_ => RandomText(random, random.Next(1, 6))).Distinct().ToList();
            AssertSameAsNaive(terms, RandomText(random, 300), $"round {round}");
        }
    }

    /// <summary>
    /// Many terms over a wide alphabet: nodes with dozens of children spread over hundreds of codes, so
    /// the double array's 64-bases-at-a-time search and its per-size-class starting points are exercised.
    /// </summary>
    [Fact]
    public void Wide_alphabet_and_many_terms_pack_without_collisions()
    {
        var random = new Random(777);
        var alphabet = Enumerable.Range(0, 800).Select(i => (char)(0x4E00 + (i * 7)))
            .Where(c => Normalization.CharFolder.Fold(c) == c && !char.IsDigit(Normalization.CharFolder.Fold(c))).Take(400).ToArray();
        string Text(int length)
        {
            // Skewed towards the first characters, as real use is; no adjacent repeats (those collapse).
            var sb = new StringBuilder(length);
            while (sb.Length < length)
            {
                var c = alphabet[(int)(Math.Pow(random.NextDouble(), 2) * alphabet.Length)];
                if (sb.Length == 0 || sb[^1] != c)
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        var terms = Enumerable.Range(0, 6000).Select(_ => Text(random.Next(1, 5))).Distinct().ToList();
        var text = Text(3000);

        AssertSameAsNaive(terms, text, "wide");
    }

    private static void AssertSameAsNaive(List<string> terms, string text, string label)
    {
        // The automaton alone: no word-boundary post-filter (it would rightly drop pairs jieba reads as other words).
        var engine = TestLexicon.Build(string.Join('\n', terms.Select(t => $"{t}\t9\t-\t1")) + "\n", wordBoundaries: false);

        var expected = new HashSet<(string, int, int)>();
        foreach (var term in terms)
        {
            for (var i = text.IndexOf(term, StringComparison.Ordinal); i >= 0; i = text.IndexOf(term, i + 1, StringComparison.Ordinal))
            {
                expected.Add((term, i, i + term.Length));
            }
        }

        var actual = engine.FindHits(text).Select(h => (h.Term, h.Start, h.End)).ToHashSet();

        Assert.True(expected.SetEquals(actual), $"{label}: missing {string.Join(",", expected.Except(actual))}; extra {string.Join(",", actual.Except(expected))}");
    }

    private static string RandomText(Random random, int length)
    {
        var sb = new StringBuilder(length);
        while (sb.Length < length)
        {
            var c = Alphabet[random.Next(Alphabet.Length)];
            if (sb.Length == 0 || sb[^1] != c)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
