using System.Text;
using Moderation.Keywords.Engine;

namespace Moderation.Keywords.Tests;

/// <summary>
/// Seeded random texts with planted terms and random insertions between their characters: every
/// planted term is found at exactly its original span, and every hit's span normalises to the term.
/// </summary>
public sealed class OffsetPropertyTests
{
    private static readonly string[] Terms = ["冰毒", "海洛因", "赌博网站", "占位词甲", "fuck", "kill yourself"];

    private static readonly string[] Insertions =
        [" ", "\u200B", "\u200D", "\uFEFF", "😀", "🔥", "*", "，", "。", "\u0301", "★", "·", "\u3000", "-", "_", "~"];

    // Filler never contains a lexicon character, so the only hits are the planted ones.
    private const string Filler = "今天天气很好我们去公园散步吧这是普通的句子没有问题xyzqwer";

    private static readonly KeywordEngine Engine = TestLexicon.Build(
        string.Join('\n', Terms.Select((t, i) => $"{t}\t{(i == 3 ? 1 : 9)}\t-\t2")) + "\n");

    [Fact]
    public void Planted_terms_are_found_at_their_original_offsets()
    {
        var random = new Random(12345);
        for (var round = 0; round < 2000; round++)
        {
            var sb = new StringBuilder();
            var planted = new List<(string Term, int Start, int End)>();
            var pieces = random.Next(1, 6);
            for (var p = 0; p < pieces; p++)
            {
                AppendFiller(sb, random);
                var term = Terms[random.Next(Terms.Length)];
                var start = sb.Length;
                for (var k = 0; k < term.Length; k++)
                {
                    if (k > 0)
                    {
                        var inserts = random.Next(0, 4);
                        for (var j = 0; j < inserts; j++)
                        {
                            sb.Append(Insertions[random.Next(Insertions.Length)]);
                        }
                    }

                    sb.Append(Variant(term[k], HasDoubleAt(term, k), random));
                }

                planted.Add((term, start, sb.Length));
                sb.Append(Insertions[random.Next(Insertions.Length)]); // keep Latin terms apart from filler letters
            }

            AppendFiller(sb, random);
            var text = sb.ToString();
            var hits = Engine.FindHits(text);

            foreach (var (term, start, end) in planted)
            {
                Assert.True(
                    hits.Any(h => h.Term == term && h.Start == start && h.End == end),
                    $"round {round}: '{term}' planted at [{start},{end}) in {Escape(text)}; hits: {string.Join(", ", hits.Select(h => $"{h.Term}[{h.Start},{h.End})"))}");
            }

            foreach (var hit in hits)
            {
                Assert.Equal(KeywordEngine.Normalize(hit.Term), KeywordEngine.Normalize(text[hit.Start..hit.End]));
                Assert.False(char.IsLowSurrogate(text[hit.Start]));
            }
        }
    }

    private static void AppendFiller(StringBuilder sb, Random random)
    {
        var n = random.Next(0, 12);
        for (var i = 0; i < n; i++)
        {
            sb.Append(Filler[random.Next(Filler.Length)]);
        }

        sb.Append(' ');
    }

    // A doubled letter that is itself repeated and split by separators ("ll·l") is ambiguous by design.
    private static bool HasDoubleAt(string term, int k) =>
        (k > 0 && term[k - 1] == term[k]) || (k + 1 < term.Length && term[k + 1] == term[k]);

    private static string Variant(char c, bool doubled, Random random) => random.Next(4) switch
    {
        0 when c is >= 'a' and <= 'z' => ((char)(c - 'a' + 'Ａ')).ToString(),
        1 when c is >= 'a' and <= 'z' => char.ToUpperInvariant(c).ToString(),
        2 when c == '赌' => "賭",
        2 when c == '网' => "網",
        3 when !doubled => new string(c, random.Next(1, 4)),
        _ => c.ToString(),
    };

    private static string Escape(string s) => string.Concat(s.Select(c => c < 128 || char.IsLetter(c) ? c.ToString() : $"\\u{(int)c:X4}"));
}
