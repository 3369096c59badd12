using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Tests;

/// <summary>
/// Leetspeak only inside Latin words: a digit is read as a letter only in a run of Latin letters and
/// digits with at least two letters, where its digit run touches a letter. Numbers stay numbers.
/// </summary>
public sealed class LeetRuleTests
{
    private static readonly KeywordEngine Default = KeywordEngine.Compile(LexiconLoader.Load([KeywordOptions.DefaultDirectory]));

    private static readonly KeywordEngine Latin = TestLexicon.Build("sb\t8\tinsult\t1\nshit\t8\tinsult\t1\nbitch\t8\tinsult\t2\nfuck\t8\tinsult\t2\n");

    [Theory]
    [InlineData("58同城")]
    [InlineData("载58人")]
    [InlineData("第58位")]
    [InlineData("开5.8")]
    [InlineData("5B")]
    [InlineData("买了5B铅笔")]
    [InlineData("5b")]
    [InlineData("电话5813888")]
    [InlineData("4K屏幕和3M胶带")]
    public void A_run_of_digits_stays_digits(string text)
    {
        Assert.Empty(Default.FindHits(text));
        Assert.Empty(Latin.FindHits(text));
    }

    [Theory]
    [InlineData("you b1tch", "bitch", "b1tch")]
    [InlineData("oh sh1t", "shit", "sh1t")]
    [InlineData("5hit happens", "shit", "5hit")]
    [InlineData("5h1t again", "shit", "5h1t")]
    [InlineData("B1TCH", "bitch", "B1TCH")]
    [InlineData("你个b1tch吧", "bitch", "b1tch")]
    public void Digits_inside_a_word_are_read_as_letters(string text, string term, string original)
    {
        var hit = Assert.Single(Latin.FindHits(text));

        Assert.Equal(term, hit.Term);
        Assert.Equal(original, text[hit.Start..hit.End]);
    }

    [Fact]
    public void Digit_terms_still_match_digits()
    {
        var engine = TestLexicon.Build("六合彩\t7\tgambling\t2\n58\t9\t-\t1\tsubstring\n");

        Assert.Single(engine.FindHits("买6合彩"));
        Assert.Single(engine.FindHits("号码58"));
    }
}
