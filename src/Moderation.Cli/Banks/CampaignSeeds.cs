namespace Moderation.Cli.Banks;

/// <summary>
/// One campaign the benchmark imitates: what a spammer, a scammer or a rumour-monger posts over and over,
/// in a few wordings, and the words they swap to dodge exact matching. Written for this project (not taken
/// from any data set); names, numbers and ids are invented.
/// </summary>
internal sealed record Campaign(string Name, int Category, string SubLabel, string[] Seeds, (string From, string[] To)[] Synonyms);

/// <summary>A campaign's posts split into those a moderator confirmed (the bank) and the rest (to catch).</summary>
internal sealed record CampaignRun(Campaign Campaign, List<string> Confirmed, List<string> Rest);

internal static class CampaignSeeds
{
    public static readonly Campaign[] All =
    [
        new("spam", 7, "gambling",
        [
            "【新用户福利】注册就送88元彩金，首充再返100%，每天签到领红包，提现秒到账，不限次数！复制链接到浏览器打开，客服微信：abc6688，名额有限先到先得。",
            "兄弟们，最近在玩的一个平台真的靠谱，百家乐、捕鱼、体育都有，充值100送38，输了还有返水，我上周提了5000多。想玩的加我微信领体验金，带你一起上岸。",
            "晚上无聊的进来看看，正规大平台，日赚300到500不是梦，新人首存送彩金，24小时在线客服，提款无上限，加QQ群123456789领取内部玩法，稳赚不赔。",
        ],
        [
            ("微信", ["薇信", "VX", "威信", "wx", "v信"]),
            ("彩金", ["红包", "福利", "奖金"]),
            ("平台", ["网站", "app", "台子"]),
            ("充值", ["首充", "存款", "充"]),
            ("客服", ["专员", "在线客服", "小助手"]),
            ("领取", ["领", "获取", "拿"]),
            ("靠谱", ["稳", "正规", "安全"]),
            ("提现", ["提款", "出款", "取现"]),
            ("加", ["添加", "➕", "+"]),
        ]),
        new("scam", 9, "fraud",
        [
            "您好，我是某宝平台客服，系统检测到您购买的商品存在质量问题，我们将为您办理双倍理赔，请添加理赔专员微信并按照指引操作，逾期将视为自动放弃。",
            "招聘兼职刷单，在家用手机就能做，一单一结，每单佣金5到50元，日入300以上，不收任何押金，只需要有支付宝就行，感兴趣的私聊我拿任务，宝妈学生优先。",
            "【通知】您的个人征信存在逾期记录，若不及时处理将影响贷款和子女入学，请于今天内联系专员办理注销，电话400-123-4567，过时不候，后果自负。",
        ],
        [
            ("客服", ["售后", "工作人员", "专员"]),
            ("理赔", ["赔付", "退款", "赔偿"]),
            ("微信", ["薇信", "VX", "企业微信"]),
            ("刷单", ["点赞", "做任务", "刷好评"]),
            ("佣金", ["提成", "报酬", "工资"]),
            ("私聊", ["私信", "联系", "滴滴"]),
            ("征信", ["信用记录", "信用"]),
            ("注销", ["处理", "消除", "关闭"]),
            ("逾期", ["过期", "超时"]),
        ]),
        new("rumour", 6, "rumour",
        [
            "紧急扩散！明天起本市全面封城，所有超市停止营业，大家赶紧去囤米囤油，这是我在卫健委工作的亲戚刚说的，消息绝对可靠，看到的快转给家人。",
            "重要提醒：最近有一种新型病毒通过快递传播，已经有十几个人感染住院了，收快递一定要用酒精喷三遍再拆，千万别用手直接碰，转发就是积德。",
            "据内部消息，下个月开始银行存款超过五万的都要冻结审查，取钱需要开证明，很多人已经连夜去取现金了，有存款的赶紧行动，晚了就来不及了。",
        ],
        [
            ("紧急", ["速看", "重要", "紧急通知"]),
            ("赶紧", ["赶快", "抓紧", "快"]),
            ("扩散", ["转发", "转起来", "传出去"]),
            ("亲戚", ["朋友", "同学", "表哥"]),
            ("绝对", ["百分百", "千真万确"]),
            ("千万", ["一定", "务必"]),
            ("内部消息", ["可靠消息", "小道消息", "内部人士透露"]),
            ("冻结", ["查封", "锁定"]),
            ("家人", ["亲人", "朋友", "群里"]),
        ]),
    ];

    /// <summary>Things people wrap a copied post in.</summary>
    public static readonly string[] Fillers =
    [
        "说真的", "亲测有效", "大家注意", "速看", "不骗人", "良心推荐", "刚看到的", "转自朋友圈", "看完记得点赞",
        "真的假的", "别不信", "懂的都懂", "我也是才知道", "家人们", "重要的事说三遍",
    ];

    /// <summary>Unrelated chatter appended or prepended to a copy (project-written, not from any data set).</summary>
    public static readonly string[] Chatter =
    [
        "今天天气不错，下午去公园走了走。", "晚饭吃的面条，味道一般。", "周末有人一起打球吗？", "这首歌最近循环了好多遍。",
        "孩子今天第一天上幼儿园，哭了一早上。", "地铁又晚点了，迟到了十分钟。", "新买的鞋子有点磨脚。", "楼下新开了一家奶茶店。",
    ];

    /// <summary>
    /// Clean posts on the campaigns' own topics, some quoting them: debunks, anti-fraud warnings, news of
    /// crackdowns, people asking whether something is true. The hardest clean text a bank sees: a false
    /// match here would quarantine the very post that warns people. Project-written.
    /// </summary>
    public static readonly string[] HardNegatives =
    [
        "网传明天起本市全面封城、超市停止营业，经核实为谣言，市防控办已辟谣，请大家不要囤米囤油，以官方发布为准。",
        "有人在群里说明天封城让大家去囤米囤油，说是卫健委亲戚讲的，我查了一下官方根本没有发布，大家别信也别转。",
        "快递传播病毒的说法已经被疾控中心辟谣了，目前没有证据表明快递包装会传染，正常收快递、勤洗手就行。",
        "家族群里又在转收快递要喷三遍酒精的消息，我跟我妈解释了半天这是谣言，酒精喷多了反而容易着火。",
        "银行存款超过五万要冻结审查是假消息，央行和多家银行都已经澄清，存取款正常办理，不要被谣言吓到连夜取现。",
        "最近好多人问存款五万以上是不是要冻结，我专门去银行问了柜员，人家说根本没有这回事，大家放心。",
        "警惕！自称某宝客服说你买的商品有质量问题、要给你双倍理赔的，都是骗子，正规平台不会让你加微信操作。",
        "反诈提醒：凡是让你加专员微信办理理赔、退款、注销征信的电话和短信，一律是诈骗，请直接挂断并拨打96110。",
        "兼职刷单就是诈骗，先给你小额佣金让你尝到甜头，然后让你垫付大额任务，最后钱就要不回来了，宝妈学生尤其要注意。",
        "征信逾期记录不能花钱注销，所谓专员办理注销、影响子女入学都是骗子编的话术，有问题请到人民银行查询。",
        "警方提醒：网上注册送彩金、首充返现、百家乐捕鱼体育都能玩的平台都是赌博网站，输了提不了现，赢了也会被封号。",
        "我表哥就是被那种充值送彩金的赌博平台骗了，一开始还能提现，后来输了五万多，客服微信直接把他拉黑了。",
        "今天学校开了反诈骗班会，老师讲了刷单返利、冒充客服理赔、虚假征信注销这几种常见骗局，让我们回家告诉家人。",
        "本市今日新增确诊病例为零，超市、农贸市场供应充足，市民正常生活，不需要囤积物资，请勿听信谣言。",
        "听说有个平台充值100送38，还说稳赚不赔，这种是不是骗人的？有没有懂行的朋友帮忙看看，我还没充钱。",
    ];

    public static readonly string[] Emoji = ["😀", "🔥", "💰", "👉", "‼️", "🎁", "✅", "❤️", "🙏", "⚠️", "📢", "👍"];
}
