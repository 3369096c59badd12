using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Tests;

/// <summary>A two-character Chinese term does not fire where the text's own words meet across it, unless separators were put between its characters.</summary>
public sealed class WordBoundaryTests
{
    private static readonly KeywordEngine Default = KeywordEngine.Compile(LexiconLoader.Load([KeywordOptions.DefaultDirectory]));

    [Theory]
    [InlineData("门口交通")]
    [InlineData("门口交钱")]
    [InlineData("港口交易所")]
    [InlineData("出口交易会")]
    [InlineData("入口交叉")]
    [InlineData("我们在门口交通很拥挤")]
    [InlineData("廣州出口交易會")]
    public void Two_words_meeting_across_the_term_do_not_fire(string text) =>
        Assert.DoesNotContain(Default.FindHits(text), h => h.Term == "口交");

    [Theory]
    [InlineData("口交", "口交")]
    [InlineData("口 交", "口 交")]
    [InlineData("口.交", "口.交")]
    [InlineData("他们在口交", "口交")]
    [InlineData("门口 交通", "口 交")] // separators inserted between the characters: evasion, always a hit
    [InlineData("黄色网站上的口交视频", "口交")]
    public void The_term_itself_and_evasions_still_fire(string text, string span)
    {
        var hit = Assert.Single(Default.FindHits(text), h => h.Term == "口交");

        Assert.Equal(span, text[hit.Start..hit.End]);
    }

    [Fact]
    public void Unknown_slang_the_segmenter_leaves_in_single_characters_still_fires() =>
        Assert.Contains(Default.FindHits("你是傻逼吗"), h => h.Term == "傻逼");

    [Fact]
    public void The_check_can_be_switched_off()
    {
        var engine = KeywordEngine.Compile(LexiconLoader.Load([KeywordOptions.DefaultDirectory]), wordBoundaries: false);

        Assert.Contains(engine.FindHits("门口交通"), h => h.Term == "口交");
    }

    [Fact]
    public void A_flood_of_look_alikes_is_answered_from_the_cache()
    {
        var text = string.Concat(Enumerable.Repeat("门口交通，", 20_000));

        Assert.DoesNotContain(Default.FindHits(text), h => h.Term == "口交");
    }
}
