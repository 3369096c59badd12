using Moderation.Contracts;
using Moderation.Detection.Contacts;

namespace Moderation.Detection.Tests;

/// <summary>Every way of writing a contact channel that issue 13 lists is found, and normalised to the same address.</summary>
public sealed class ContactEvasionTests
{
    [Theory]
    [InlineData("联系 13812345678")]
    [InlineData("电话 138 1234 5678")]
    [InlineData("电话138-1234-5678")]
    [InlineData("tel 138.1234.5678")]
    [InlineData("打 +86 138 1234 5678")]
    [InlineData("号码：一三八一二三四五六七八")]
    [InlineData("壹叁捌壹贰叁肆伍陆柒捌")]
    [InlineData("①③⑧①②③④⑤⑥⑦⑧")]
    [InlineData("１３８１２３４５６７８ 找我")]
    [InlineData("幺三八 幺二三四 五六七八")]
    [InlineData("📞13812345678")]
    [InlineData("1\u200b3\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8")]
    [InlineData("138~1234~5678")]
    public void A_mainland_mobile_number_is_found_however_it_is_written(string text)
    {
        Assert.Equal(("phone", "13812345678"), Shipped.Address(text));
    }

    [Theory]
    [InlineData("QQ 2875593104", "2875593104")]
    [InlineData("qq：2875593104", "2875593104")]
    [InlineData("扣扣 2875 5931 04", "2875593104")]
    [InlineData("企鹅号 2875-5931-04", "2875593104")]
    [InlineData("Q:28755.93104", "2875593104")]
    [InlineData("🐧 2875593104", "2875593104")]
    [InlineData("QQ：一零二四八八六六三", "102488663")]
    [InlineData("扣扣 壹零贰肆捌捌陆陆叁", "102488663")]
    [InlineData("QQ ⑧⑧⑥⑥⑤⑤③③", "88665533")]
    [InlineData("ＱＱ ２８７５５９３１０４", "2875593104")]
    [InlineData("群号 756 332 189", "756332189")]
    public void A_qq_number_after_a_channel_word_is_found(string text, string number)
    {
        Assert.Equal(("qq", number), Shipped.Address(text));
    }

    [Theory]
    [InlineData("加微信 xyft6688", "xyft6688")]
    [InlineData("薇信：yy_520520", "yy_520520")]
    [InlineData("威信 pj_8899", "pj_8899")]
    [InlineData("薇 ❤ luoluo6868", "luoluo6868")]
    [InlineData("V：pj_8899", "pj_8899")]
    [InlineData("VX：mm6699x", "mm6699x")]
    [InlineData("vx jf8877", "jf8877")]
    [InlineData("wx: abc-123", "abc-123")]
    [InlineData("➕V qianqian0088", "qianqian0088")]
    [InlineData("加v qianqian0088", "qianqian0088")]
    [InlineData("微信号 qianqian0088", "qianqian0088")]
    [InlineData("V信 qianqian0088", "qianqian0088")]
    [InlineData("绿泡泡：qianqian0088", "qianqian0088")]
    [InlineData("💚 qianqian0088", "qianqian0088")]
    [InlineData("ｖｘ：ｑｉａｎｑｉａｎ００８８", "qianqian0088")]
    [InlineData("微信id: qianqian0088", "qianqian0088")]
    public void A_wechat_id_after_a_channel_word_is_found(string text, string id)
    {
        Assert.Equal(("wechat", id), Shipped.Address(text));
    }

    [Theory]
    [InlineData("vx同号 13798765432")]
    [InlineData("微信同号13798765432")]
    public void A_wechat_that_is_the_phone_number_is_one_address(string text)
    {
        var address = Shipped.Address(text);
        Assert.Equal("13798765432", address.Value);
    }

    [Theory]
    [InlineData("TG @sportsbet88", "sportsbet88")]
    [InlineData("飞机 tx_poker", "tx_poker")]
    [InlineData("纸飞机：lucky28pro", "lucky28pro")]
    [InlineData("电报 @lucky28pro", "lucky28pro")]
    [InlineData("✈ lucky28pro", "lucky28pro")]
    [InlineData("telegram: lucky28pro", "lucky28pro")]
    public void A_telegram_id_after_a_channel_word_is_found(string text, string id)
    {
        Assert.Equal(("telegram", id), Shipped.Address(text));
    }

    [Fact]
    public void A_telegram_link_is_a_telegram_contact()
    {
        Assert.Equal(("telegram", "t.me/fuliziyuan"), Shipped.Address("别外传 t.me/fuliziyuan"));
    }

    [Theory]
    [InlineData("加V了解")]
    [InlineData("+薇详谈")]
    [InlineData("➕V")]
    [InlineData("联系微信")]
    [InlineData("加我vx")]
    [InlineData("找我飞机")]
    public void A_channel_word_with_an_add_verb_and_no_id_is_an_invitation(string text)
    {
        var found = Shipped.Detect(text).Contacts;
        Assert.Contains(found, c => c.Strength == ContactStrength.Invitation);
        Assert.DoesNotContain(found, c => c.Strength == ContactStrength.Address);
    }

    [Theory]
    [InlineData("https://t.cn/Ax9kQ", "shortener")]
    [InlineData("www.jinsha888.vip", "risky-tld")]
    [InlineData("网址 ky88点cc", "risky-tld")]
    [InlineData("官网 168。bet", "risky-tld")]
    [InlineData("tyc 点 com", "link")]
    [InlineData("www点yh8点cc", "risky-tld")]
    [InlineData("example dot com", "link")]
    [InlineData("example (dot) com", "link")]
    [InlineData("example [.] com", "link")]
    [InlineData("example . com", "link")]
    [InlineData("example．com", "link")]
    [InlineData("ｅｘａｍｐｌｅ．ｃｏｍ", "link")]
    [InlineData("hxxps://example.com/a", "link")]
    public void Links_and_bare_domains_are_found_with_their_dots_obfuscated(string text, string channel)
    {
        var (found, _) = Shipped.Address(text);
        Assert.Equal(channel, found);
    }

    [Theory]
    [InlineData("访问 103.45.67.89", "103.45.67.89")]
    [InlineData("登录 103.45.67.89:8888", "103.45.67.89:8888")]
    [InlineData("地址 103。45。67。89：8888", "103.45.67.89:8888")]
    [InlineData("http://103.45.67.89:8080/x", "http://103.45.67.89:8080/x")]
    public void Bare_ips_and_ip_port_are_links(string text, string value)
    {
        Assert.Equal(("ip-link", value), Shipped.Address(text));
    }

    [Theory]
    [InlineData("邀请码 AB8866", "ab8866")]
    [InlineData("邀请码：QZ5566", "qz5566")]
    [InlineData("推荐码 8H6K2", "8h6k2")]
    [InlineData("推荐码6688", "6688")]
    public void Invite_codes_are_addresses(string text, string code)
    {
        Assert.Equal(("invite-code", code), Shipped.Address(text));
    }

    [Theory]
    [InlineData("看我头像")]
    [InlineData("扫头像了解")]
    [InlineData("点头像进")]
    [InlineData("扫码进群")]
    [InlineData("扫描下方二维码")]
    [InlineData("看我主页")]
    [InlineData("主页有联系方式")]
    [InlineData("私我")]
    [InlineData("感兴趣的评论区扣1")]
    [InlineData("滴滴我")]
    [InlineData("➕我了解")]
    [InlineData("想要的 + 我")]
    public void Scan_my_avatar_qr_and_homepage_phrasing_is_an_invitation(string text)
    {
        Assert.Contains(Shipped.Detect(text).Contacts, c => c.Strength == ContactStrength.Invitation);
    }

    [Fact]
    public void An_email_address_is_an_address_and_a_bare_mention_is_no_contact()
    {
        Assert.Equal(("email", "abc123@qq.com"), Shipped.Address("简历发 abc123@qq.com"));
        Assert.Empty(Shipped.Detect("//@ERIC_KAO伟: 期待播出").Contacts);
    }

    [Theory]
    [InlineData("全球票房926047111美元")]
    [InlineData("2004年06月25日")]
    [InlineData("成本15000000美元")]
    [InlineData("版本 v2.0 和 3.5")]
    [InlineData("我看到Mr.Li了")]
    [InlineData("他的avatar很好看")]
    [InlineData("威尼斯人酒店")]
    [InlineData("微博热搜")]
    [InlineData("扣1分")]
    public void Numbers_words_and_names_that_are_not_contacts_are_left_alone(string text)
    {
        Assert.Empty(Shipped.Detect(text).Contacts);
    }

    [Fact]
    public void Hit_offsets_point_into_the_original_text()
    {
        const string text = "兄弟们 百 家 乐 稳赢，ＱＱ：２８７５\u200b５９３１０４ 速来";
        var hits = Shipped.Detect(text).Hits;
        var contact = Assert.Single(hits, h => h.Kind == HitKinds.Contact);
        Assert.Equal("ＱＱ：２８７５\u200b５９３１０４", text[contact.Start..contact.End]);
        var lure = Assert.Single(hits, h => h.Term == "百家乐");
        Assert.Equal("百 家 乐", text[lure.Start..lure.End]);
        Assert.Equal(7, lure.Category);
    }
}
