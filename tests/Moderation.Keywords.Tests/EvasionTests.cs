namespace Moderation.Keywords.Tests;

/// <summary>One case per evasion trick: each must still find the term and point at the right original span.</summary>
public sealed class EvasionTests
{
    /// <summary>(trick, text, term, original span) — also run with the 41,739-term reference lexicon loaded (<see cref="BigLexiconEvasionTests"/>).</summary>
    public static readonly TheoryData<string, string, string, string> Tricks = new()
    {
        { "plain", "买冰毒吗", "冰毒", "冰毒" },
        { "space between characters", "买冰 毒吗", "冰毒", "冰 毒" },
        { "ideographic space", "买冰\u3000毒吗", "冰毒", "冰\u3000毒" },
        { "punctuation between characters", "买冰*毒吗", "冰毒", "冰*毒" },
        { "chinese punctuation between characters", "买冰，。毒吗", "冰毒", "冰，。毒" },
        { "symbol between characters", "买冰★♥毒吗", "冰毒", "冰★♥毒" },
        { "zero-width space", "买冰\u200B毒吗", "冰毒", "冰\u200B毒" },
        { "zero-width joiner and BOM", "买冰\u200D\uFEFF毒吗", "冰毒", "冰\u200D\uFEFF毒" },
        { "emoji (surrogate pair) between characters", "买冰😀毒吗", "冰毒", "冰😀毒" },
        { "combining marks", "买冰\u0301\u20DD毒吗", "冰毒", "冰\u0301\u20DD毒" },
        { "repeated characters", "买冰冰冰毒毒吗", "冰毒", "冰冰冰毒毒" },
        { "repeated latin letters", "you fuuuuck", "fuck", "fuuuuck" },
        { "traditional chinese", "上賭博網站", "赌博网站", "賭博網站" },
        { "full-width latin", "ｆｕｃｋ", "fuck", "ｆｕｃｋ" },
        { "upper case", "FUCK this", "fuck", "FUCK" },
        { "full-width upper case letter in chinese term", "有Ｋ粉吗", "k粉", "Ｋ粉" },
        { "circled digit", "买⑥合彩", "六合彩", "⑥合彩" },
        { "parenthesised digit", "买⑹合彩", "六合彩", "⑹合彩" },
        { "full-width digit", "买６合彩", "六合彩", "６合彩" },
        { "arabic digit for chinese numeral", "买6合彩", "六合彩", "6合彩" },
        { "financial numeral", "买陆合彩", "六合彩", "陆合彩" },
        { "digit in term written as chinese numeral", "找1夜情", "一夜情", "1夜情" },
        { "cyrillic look-alike", "you biтсh", "bitch", "biтсh" },
        { "greek look-alike", "you βitch", "bitch", "βitch" },
        { "leetspeak digit", "you b1tch", "bitch", "b1tch" },
        { "leetspeak symbol", "kiss my @ss", "ass", "@ss" },
        { "leetspeak dollar", "kiss my a$$", "ass", "a$$" },
        { "diacritics", "fück", "fuck", "fück" },
        { "letters spaced out", "f u c k", "fuck", "f u c k" },
        { "phrase with separators", "just kill-your.self", "kill yourself", "kill-your.self" },
        { "pinyin", "买bingdu吗", "冰毒", "bingdu" },
        { "pinyin with spaces and capitals", "买 Bing Du 吗", "冰毒", "Bing Du" },
        { "full-width pinyin", "ｂｉｎｇｄｕ", "冰毒", "ｂｉｎｇｄｕ" },
        { "pinyin initials", "有hly出", "海洛因", "hly" },
        { "pinyin mixed with characters", "买bing毒吗", "冰毒", "bing毒" },
        { "characters mixed with pinyin", "买海luo因吗", "海洛因", "海luo因" },
        { "everything at once", "買 冰\u200B😀冰．毒!!", "冰毒", "冰．毒" },
    };

    [Theory]
    [MemberData(nameof(Tricks))]
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
