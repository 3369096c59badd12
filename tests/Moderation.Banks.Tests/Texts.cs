using Moderation.Banks;

namespace Moderation.Banks.Tests;

/// <summary>Project-written test texts on unrelated topics, and helpers to make bank entries of them.</summary>
internal static class Texts
{
    public static readonly string[] Pool =
    [
        "紧急扩散！明天起本市全面封城，所有超市停止营业，大家赶紧去囤米囤油，这是我在卫健委工作的亲戚刚说的。",
        "招聘兼职刷单，在家用手机就能做，一单一结，每单佣金5到50元，日入300以上，不收任何押金，感兴趣的私聊。",
        "新用户注册就送88元彩金，首充再返百分之百，每天签到领红包，提现秒到账，客服微信abc6688，名额有限。",
        "您的个人征信存在逾期记录，若不及时处理将影响贷款和子女入学，请于今天内联系专员办理注销，过时不候。",
        "最近有一种新型病毒通过快递传播，已经有十几个人感染住院了，收快递一定要用酒精喷三遍再拆开，转发积德。",
        "本店新到一批高仿名表和证件，全国包邮，支持货到付款，需要的朋友私信我看实物图，价格好商量，量大从优。",
        "据内部消息，下个月开始银行存款超过五万的都要冻结审查，取钱需要开证明，很多人已经连夜去取现金了。",
        "高价回收各类银行卡和电话卡，手续简单当天放款，不看征信不查流水，有意者请加群详谈，长期有效。",
        "转发这条锦鲤，接下来七天好运不断，不转的人会倒霉一整年，已经有很多人验证过了，宁可信其有。",
        "代办各种学历证书，学信网可查，包过包拿证，无需考试，三天出证，价格公道，诚信合作，欢迎咨询。",
        "喝隔夜茶会致癌，这是专家最新研究结果，家里有老人的一定要提醒他们，赶紧把这个消息发到家族群里。",
        "独家内幕：某某股票下周必涨三倍，庄家已经吸筹完毕，现在进场稳赚不赔，加入我们的投资群免费领取。",
    ];

    public static BankEntry Entry(int i, double threshold = 0.5, string? bank = null, BankAction action = BankAction.Quarantine, string? text = null) =>
        new(bank ?? "bank-" + i, "Bank " + i, i, 1 + (i % 9), "sub" + i, action, threshold, text ?? Pool[i]);

    /// <summary>A light variant: a new number, an emoji, spaces, and one clause moved to the end.</summary>
    public static string Variant(string text)
    {
        var cut = text.IndexOf('，', StringComparison.Ordinal);
        var moved = cut > 0 ? text[(cut + 1)..] + "，" + text[..cut] : text;
        return "🔥 " + moved.Replace("三", "3", StringComparison.Ordinal) + " 👉 1234567";
    }
}
