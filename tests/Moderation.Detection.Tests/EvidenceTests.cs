using Moderation.Contracts;
using Moderation.Detection.Patterns;

namespace Moderation.Detection.Tests;

/// <summary>How contact and lure combine (EvidenceCombiner's table), on a small pattern list written here.</summary>
public sealed class EvidenceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DetectorRules _rules;

    public EvidenceTests()
    {
        _dir.Write("lures.tsv", """
            百家乐	7	gambling	2
            菠菜	7	gambling	1
            回血	7	gambling	1
            上岸	7	gambling	1	comeback
            翻本	7	gambling	1	comeback
            寂寞	7	porn	1
            冰毒出售	9	drugs	3
            叶子	9	drugs	1
            现货	9	drugs	boost	selling
            闪送	9	drugs	boost	selling
            日入{num}	9	fraud	2
            转发	6	rumour	1	spread
            扩散	6	rumour	1	spread
            致癌	6	rumour	1	harm
            骗局	context	counter
            警惕	context	warning
            千万别	context	warning
            微信	contact	wechat
            私聊	contact	invite
            """.Replace("            ", "", StringComparison.Ordinal));
        _rules = DetectorRules.Load([_dir.Path], []);
    }

    public void Dispose() => _dir.Dispose();

    private IReadOnlyDictionary<int, int> Severity(string text) => SolicitationDetector.Detect(_rules, text).SeverityByCategory;

    [Fact]
    public void A_contact_alone_is_weak_evidence_in_the_configured_category()
    {
        var result = SolicitationDetector.Detect(_rules, "有事打 13812345678");
        Assert.Empty(result.SeverityByCategory);
        var hit = Assert.Single(result.Hits);
        Assert.Equal((HitKinds.Contact, 9, 1, "phone"), (hit.Kind, hit.Category, hit.Severity, hit.Term));
    }

    [Theory]
    [InlineData("菠菜", 1)]                          // one weak word
    [InlineData("菠菜 私聊", 2)]                     // weak + invitation
    [InlineData("菠菜 微信 abc1234", 2)]             // weak + address
    [InlineData("菠菜回血", 2)]                      // two weak words of one family
    [InlineData("百家乐", 2)]                        // strong alone
    [InlineData("百家乐 私聊", 2)]                   // strong + invitation
    [InlineData("百家乐 微信 abc1234", 3)]           // strong + address
    [InlineData("百家乐回血", 2)]                    // strong + weak without contact: still only a review
    [InlineData("百家乐回血 私聊", 3)]               // ... with an invitation
    public void Lure_level_and_contact_combine_as_the_table_says(string text, int severity)
    {
        Assert.Equal(severity, Severity(text)[7]);
    }

    [Fact]
    public void Synonyms_in_one_group_count_once_and_families_do_not_add_up()
    {
        Assert.Equal(1, Severity("上岸 翻本")[7]);   // one group
        Assert.Equal(1, Severity("菠菜 寂寞")[7]);   // gambling + porn: two weak hints of two different things
    }

    [Fact]
    public void A_number_token_needs_a_number()
    {
        Assert.Equal(2, Severity("兼职日入三百")[9]);
        Assert.Equal(2, Severity("日入300+")[9]);
        Assert.False(Severity("日入").ContainsKey(9));
    }

    [Fact]
    public void Counter_context_lowers_the_severity_by_one()
    {
        Assert.Equal(3, Severity("百家乐 微信 abc1234")[7]);
        Assert.Equal(2, Severity("百家乐 微信 abc1234 是骗局")[7]);
        Assert.Equal(1, Severity("百家乐是骗局")[7]);
    }

    [Fact]
    public void Two_different_counter_cues_lower_by_two_but_never_below_one()
    {
        Assert.Equal(1, Severity("百家乐 微信 abc1234 警惕骗局")[7]);
        Assert.Equal(2, Severity("百家乐 微信 abc1234 骗局 骗局")[7]); // the same cue twice is one cue
    }

    [Fact]
    public void Warning_cues_do_not_lower_a_rumour_but_lower_an_offer()
    {
        Assert.Equal(2, Severity("致癌 转发 千万别")[6]);
        Assert.Equal(1, Severity("致癌 转发 骗局")[6]);
        Assert.Equal(2, Severity("百家乐 微信 abc1234 千万别")[7]);
    }

    [Fact]
    public void Counter_cues_are_reported_as_context_hits_that_raise_nothing()
    {
        var hits = SolicitationDetector.Detect(_rules, "百家乐是骗局").Hits;
        var cue = Assert.Single(hits, h => h.Kind == HitKinds.Context);
        Assert.Equal(("骗局", 0, 0, "counter"), (cue.Matched, cue.Category, cue.Severity, cue.SubLabel));
        Assert.Equal("骗局", "百家乐是骗局"[cue.Start..cue.End]);
    }

    [Fact]
    public void Selling_talk_counts_once_and_only_beside_a_lure_of_its_family()
    {
        Assert.False(Severity("现货 闪送").ContainsKey(9)); // a shop saying it has stock is no finding
        Assert.Empty(SolicitationDetector.Detect(_rules, "现货 闪送").Lures);
        Assert.Equal(1, Severity("叶子")[9]);
        Assert.Equal(2, Severity("叶子 现货")[9]);
        Assert.Equal(2, Severity("叶子 现货 闪送")[9]); // one group: selling talk is one piece of evidence
        Assert.Equal(3, Severity("叶子 现货 微信 abc1234")[9]);
    }

    [Fact]
    public void An_emoji_lure_is_found_in_the_posts_own_text_with_or_without_a_variation_selector()
    {
        using var dir = new TempDir();
        dir.Write("e.tsv", "🔞\t7\tporn\t2\n🍑\t7\tporn\t1\tporn-emoji\n💦\t7\tporn\t1\tporn-emoji\n");
        var rules = DetectorRules.Load([dir.Path], []);
        var text = "看片🔞️ 资源";
        var lure = Assert.Single(SolicitationDetector.Detect(rules, text).Lures);
        Assert.Equal("🔞️", text[lure.Start..lure.End]);
        Assert.Equal(2, SolicitationDetector.Detect(rules, "🔞").SeverityByCategory[7]);
        Assert.Equal(1, SolicitationDetector.Detect(rules, "🍑💦🍑").SeverityByCategory[7]); // one group, counted once
        Assert.Empty(SolicitationDetector.Detect(rules, "今天很开心😀").Lures);
    }

    [Fact]
    public void A_contact_does_not_strengthen_a_rumour()
    {
        Assert.Equal(1, Severity("转发 私聊")[6]);
        Assert.Equal(2, Severity("致癌 转发")[6]);
        Assert.Equal(1, Severity("转发 扩散")[6]); // one group
    }

    [Fact]
    public void A_pattern_does_not_match_across_a_sentence_break_but_does_across_spaces_and_symbols()
    {
        Assert.True(Severity("百 家 乐").ContainsKey(7));
        Assert.True(Severity("百❤家❤乐").ContainsKey(7));
        Assert.False(Severity("百家，乐").ContainsKey(7));
    }

    [Fact]
    public void Contact_hits_carry_the_category_of_the_offer_they_belong_to()
    {
        var hits = SolicitationDetector.Detect(_rules, "冰毒出售 微信 abc1234").Hits;
        var contact = Assert.Single(hits, h => h.Kind == HitKinds.Contact);
        Assert.Equal((9, 3, HitKinds.Contact), (contact.Category, contact.Severity, contact.SubLabel));
        var lure = Assert.Single(hits, h => h.Kind == HitKinds.Lure);
        Assert.Equal(("drugs", 3), (lure.SubLabel, lure.Severity));
    }

    [Fact]
    public void Lure_letters_inside_a_link_are_part_of_the_address()
    {
        var dir = new TempDir();
        try
        {
            dir.Write("l.tsv", "av\t7\tporn\t1\n");
            var rules = DetectorRules.Load([dir.Path], []);
            Assert.Empty(SolicitationDetector.Detect(rules, "http://www.bilibili.com/video/av1576648/").Lures);
            Assert.Single(SolicitationDetector.Detect(rules, "av资源").Lures);
            Assert.Empty(SolicitationDetector.Detect(rules, "avatar").Lures);
        }
        finally
        {
            dir.Dispose();
        }
    }

    [Fact]
    public void A_context_line_names_the_two_kinds_of_cue_and_a_lure_weight_accepts_boost()
    {
        using var dir = new TempDir();
        var file = dir.Write("c.tsv", "骗局\tcontext\tcounter\t-\n警惕\tcontext\twarning\t-\n辟谣\tcontext\tdebunk\t-\n现货\t9\tdrugs\tboost\tselling\n");
        var ex = Assert.Throws<RuleLoadException>(() => DetectorRules.Load([dir.Path], []));
        var error = Assert.Single(ex.Errors);
        Assert.Equal((file, 3), (error.File, error.Line));
        Assert.Contains("'counter' or 'warning'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_pattern_line_is_named_by_file_and_line()
    {
        using var dir = new TempDir();
        var file = dir.Write("bad.tsv", "百家乐\t7\tgambling\t2\n# comment\n回血\t7\tgambling\t9\n{num}起\t9\tfraud\t1\n微信\tcontact\tnope\n");
        var ex = Assert.Throws<RuleLoadException>(() => DetectorRules.Load([dir.Path], []));
        Assert.Equal([(file, 3), (file, 4), (file, 5)], ex.Errors.Select(e => (e.File, e.Line)));
        Assert.Contains("weight", ex.Errors[0].Message, StringComparison.Ordinal);
    }
}
