namespace Moderation.Keywords.Tests;

/// <summary>One case per evasion trick: each must still find the term and point at the right original span.</summary>
public sealed class EvasionTests
{
    [Theory]
    [InlineData("plain", "买冰毒吗", "冰毒", "冰毒")]
    [InlineData("space between characters", "买冰 毒吗", "冰毒", "冰 毒")]
    [InlineData("ideographic space", "买冰\u3000毒吗", "冰毒", "冰\u3000毒")]
    [InlineData("punctuation between characters", "买冰*毒吗", "冰毒", "冰*毒")]
    [InlineData("chinese punctuation between characters", "买冰，。毒吗", "冰毒", "冰，。毒")]
    [InlineData("symbol between characters", "买冰★♥毒吗", "冰毒", "冰★♥毒")]
    [InlineData("zero-width space", "买冰\u200B毒吗", "冰毒", "冰\u200B毒")]
    [InlineData("zero-width joiner and BOM", "买冰\u200D\uFEFF毒吗", "冰毒", "冰\u200D\uFEFF毒")]
    [InlineData("emoji (surrogate pair) between characters", "买冰😀毒吗", "冰毒", "冰😀毒")]
    [InlineData("combining marks", "买冰\u0301\u20DD毒吗", "冰毒", "冰\u0301\u20DD毒")]
    [InlineData("repeated characters", "买冰冰冰毒毒吗", "冰毒", "冰冰冰毒毒")]
    [InlineData("repeated latin letters", "you fuuuuck", "fuck", "fuuuuck")]
    [InlineData("traditional chinese", "上賭博網站", "赌博网站", "賭博網站")]
    [InlineData("full-width latin", "ｆｕｃｋ", "fuck", "ｆｕｃｋ")]
    [InlineData("upper case", "FUCK this", "fuck", "FUCK")]
    [InlineData("full-width upper case letter in chinese term", "有Ｋ粉吗", "k粉", "Ｋ粉")]
    [InlineData("circled digit", "买⑥合彩", "六合彩", "⑥合彩")]
    [InlineData("parenthesised digit", "买⑹合彩", "六合彩", "⑹合彩")]
    [InlineData("full-width digit", "买６合彩", "六合彩", "６合彩")]
    [InlineData("arabic digit for chinese numeral", "买6合彩", "六合彩", "6合彩")]
    [InlineData("financial numeral", "买陆合彩", "六合彩", "陆合彩")]
    [InlineData("digit in term written as chinese numeral", "找1夜情", "一夜情", "1夜情")]
    [InlineData("cyrillic look-alike", "you biтсh", "bitch", "biтсh")]
    [InlineData("greek look-alike", "you βitch", "bitch", "βitch")]
    [InlineData("leetspeak digit", "you b1tch", "bitch", "b1tch")]
    [InlineData("leetspeak symbol", "kiss my @ss", "ass", "@ss")]
    [InlineData("leetspeak dollar", "kiss my a$$", "ass", "a$$")]
    [InlineData("diacritics", "fück", "fuck", "fück")]
    [InlineData("letters spaced out", "f u c k", "fuck", "f u c k")]
    [InlineData("phrase with separators", "just kill-your.self", "kill yourself", "kill-your.self")]
    [InlineData("pinyin", "买bingdu吗", "冰毒", "bingdu")]
    [InlineData("pinyin with spaces and capitals", "买 Bing Du 吗", "冰毒", "Bing Du")]
    [InlineData("full-width pinyin", "ｂｉｎｇｄｕ", "冰毒", "ｂｉｎｇｄｕ")]
    [InlineData("pinyin initials", "有hly出", "海洛因", "hly")]
    [InlineData("pinyin mixed with characters", "买bing毒吗", "冰毒", "bing毒")]
    [InlineData("characters mixed with pinyin", "买海luo因吗", "海洛因", "海luo因")]
    [InlineData("everything at once", "買 冰\u200B😀冰．毒!!", "冰毒", "冰．毒")]
    public void Finds_the_term_through_the_trick(string trick, string text, string term, string original)
    {
        var hits = TestLexicon.Engine.FindHits(text);

        var hit = Assert.Single(hits, h => h.Term == term);
        Assert.True(original == text[hit.Start..hit.End], $"{trick}: hit covers '{text[hit.Start..hit.End]}', expected '{original}'");
    }

    [Theory]
    [InlineData("占位词甲", 1)]
    [InlineData("占 位 词 乙", 2)]
    [InlineData("佔位詞丙", 3)]
    [InlineData("占\u200B位词丁", 5)]
    public void Operator_categories_flow_like_the_rest(string text, int category)
    {
        var hit = Assert.Single(TestLexicon.Engine.FindHits(text));

        Assert.Equal(category, hit.Category);
        Assert.Equal(0, hit.Start);
        Assert.Equal(text.Length, hit.End);
    }

    [Fact]
    public void Hit_carries_category_sub_label_severity_and_matched_form()
    {
        var hit = Assert.Single(TestLexicon.Engine.FindHits("买 Bing Du 吗"));

        Assert.Equal(("冰毒", 9, "drugs", 3, "bingdu"), (hit.Term, hit.Category, hit.SubLabel, hit.Severity, hit.Matched));
    }

    [Fact]
    public void Masked_text_hides_every_hit_and_keeps_length()
    {
        var result = TestLexicon.Engine.Scan("买冰 毒和ｆｕｃｋ");

        Assert.Equal("买***和****", result.MaskedText);
    }
}
