namespace Moderation.Keywords.Tests;

/// <summary>Benign text that contains a term's letters must not be flagged.</summary>
public sealed class FalsePositiveTests
{
    [Theory]
    [InlineData("Scunthorpe-like words", "pass the bass to the class, assassin")]
    [InlineData("term inside a longer latin word", "the grasshopper is classy")]
    [InlineData("term bridging two latin words", "he was sick")]
    [InlineData("latin term followed by letters", "bitchy remarks about fuckwit")]
    [InlineData("digits are not leet for chinese text", "2024年1月1日")]
    [InlineData("two-character pinyin gets no initials", "bd and hl are fine")]
    [InlineData("pinyin inside a longer word", "bingdust and combingdu")]
    [InlineData("allow-listed phrase", "鸦片战争是一段历史")]
    [InlineData("allow-listed phrase in traditional script", "鴉片戰爭")]
    [InlineData("unrelated chinese", "今天天气很好，我们去公园散步吧")]
    public void Benign_text_has_no_hits(string why, string text)
    {
        var hits = TestLexicon.Engine.FindHits(text);

        Assert.True(hits.Count == 0, $"{why}: unexpected {string.Join(", ", hits.Select(h => $"{h.Term}@{h.Start}"))}");
    }

    [Fact]
    public void Allow_list_suppresses_only_hits_inside_the_allowed_phrase()
    {
        var hits = TestLexicon.Engine.FindHits("鸦片战争以后还有人吸鸦片");

        var hit = Assert.Single(hits);
        Assert.Equal(10, hit.Start);
    }

    [Fact]
    public void Substring_flag_opts_latin_term_out_of_whole_word_matching()
    {
        var engine = TestLexicon.Build("porn\t7\tporn\t1\tsubstring\n");

        Assert.Single(engine.FindHits("pornhub"));
    }

    [Fact]
    public void Latin_word_flag_applies_whole_word_rule_to_mixed_terms()
    {
        var engine = TestLexicon.Build("av女优\t7\tporn\t2\tlatin-word\n");

        Assert.Single(engine.FindHits("看av女优"));
        Assert.Empty(engine.FindHits("java女优"));
    }

    [Fact]
    public void Latin_term_next_to_chinese_is_a_whole_word()
    {
        Assert.Single(TestLexicon.Engine.FindHits("你个bitch吧"));
    }
}
