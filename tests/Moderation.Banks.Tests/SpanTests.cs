using Moderation.Banks;
using Moderation.Keywords.Normalization;

namespace Moderation.Banks.Tests;

/// <summary>
/// The reported span must land on the matching text in the original post, whatever was inserted into it:
/// offsets are UTF-16 positions of the post as sent, like keyword hits.
/// </summary>
public sealed class SpanTests
{
    private static readonly string[] Junk = ["😀", "🔥", "\u200b", "\u200d", "\ufeff", " ", "\u3000", "·", "！", "~", "👍🏻", "\u2060"];

    [Fact]
    public void The_span_covers_exactly_the_known_text_with_emoji_zero_width_and_full_width_characters_inserted()
    {
        var random = new Random(20261201);
        var entries = Enumerable.Range(0, Texts.Pool.Length).Select(i => Texts.Entry(i, threshold: 0.4)).ToArray();
        var index = BankIndex.Build(entries);
        for (var round = 0; round < 300; round++)
        {
            var i = random.Next(Texts.Pool.Length);
            var (post, first, last) = Disguise(Texts.Pool[i], random);

            var match = Assert.Single(index.Match(post));
            Assert.Equal(entries[i].Key, match.Entry.Key);
            Assert.Equal(BankText.Similarity(post, Texts.Pool[i]), match.Similarity);
            Assert.Equal(first, match.Start);
            Assert.Equal(last + 1, match.End);
            Assert.Equal(BankText.Fold(Texts.Pool[i]), BankText.Fold(post[match.Start..match.End]));
        }
    }

    /// <summary>
    /// The text between Latin padding (which shares no shingle with any entry), with junk between its
    /// characters and its ASCII turned full-width; returns where its first and last foldable characters land.
    /// </summary>
    private static (string Post, int First, int Last) Disguise(string text, Random random)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("xyzw xyzw ").Append(Junk[random.Next(Junk.Length)]);
        int first = -1, last = -1;
        foreach (var c in text)
        {
            if (random.NextDouble() < 0.3)
            {
                sb.Append(Junk[random.Next(Junk.Length)]);
            }

            var ch = c is >= '!' and <= '~' && random.NextDouble() < 0.5 ? (char)(c + 0xFEE0) : c;
            if (CharFolder.Fold(ch) != CharFolder.Skip)
            {
                if (first < 0)
                {
                    first = sb.Length;
                }

                last = sb.Length;
            }

            sb.Append(ch);
        }

        sb.Append(Junk[random.Next(Junk.Length)]).Append(" qrst qrst");
        return (sb.ToString(), first, last);
    }

    [Fact]
    public void A_span_never_splits_a_surrogate_pair_and_stays_inside_the_post()
    {
        var random = new Random(7);
        var index = BankIndex.Build(Enumerable.Range(0, Texts.Pool.Length).Select(i => Texts.Entry(i, threshold: 0.4)));
        for (var round = 0; round < 200; round++)
        {
            var (post, _, _) = Disguise(Texts.Variant(Texts.Pool[random.Next(Texts.Pool.Length)]), random);
            foreach (var m in index.Match(post))
            {
                Assert.InRange(m.Start, 0, m.End - 1);
                Assert.InRange(m.End, m.Start + 1, post.Length);
                Assert.False(char.IsLowSurrogate(post[m.Start]));
                Assert.False(char.IsHighSurrogate(post[m.End - 1]));
            }
        }
    }
}
