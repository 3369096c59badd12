using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Moderation.Cli.Faults;

/// <summary>
/// The posts a fault run publishes, as a platform in any language would: plain JSON. A realistic mix, seeded:
/// mostly clean Chinese and English posts, about 5% that the shipped lexicon blocks (drugs, gambling), about 3%
/// it holds for a moderator (insults), plus bad input (malformed JSON, a missing field, a bad IP, a publish time
/// in the future, an unknown service type) that must end in the error queue with its reason.
/// </summary>
internal static class FaultPosts
{
    private static readonly string[] Clean =
    [
        "今天天气很好，我们一起去公园散步吧，顺便带上孩子放风筝。",
        "这家店的牛肉面味道不错，价格也公道，推荐大家去尝尝。",
        "The city council voted to extend the bus line to the new hospital next spring.",
        "周末的读书会改到下午三点，地点还是图书馆二楼。",
        "新上映的纪录片拍得很用心，讲的是长江流域的候鸟迁徙。",
        "Does anyone know a good place to fix a bicycle chain near the university?",
        "小区门口新开了一家面包店，早上七点就开门了。",
    ];

    private static readonly string[] Blocked =
    [
        "本店长期出售冰毒，价格优惠，加微信详谈。",
        "网上赌场，百家乐在线下注，首充送彩金！",
    ];

    private static readonly string[] Held =
    [
        "你这个傻逼，什么都不懂还到处乱说。",
        "楼上的都是脑残吧，看不懂就别评论。",
    ];

    public static byte[] Valid(string platform, int index, DateTimeOffset now)
    {
        var pick = (index * 7919) % 100;
        var body = pick < 5 ? Blocked[index % Blocked.Length] : pick < 8 ? Held[index % Held.Length] : Clean[index % Clean.Length];
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["platform"] = platform,
            ["contentId"] = "p-" + index.ToString(CultureInfo.InvariantCulture),
            ["version"] = 1,
            ["serviceType"] = (index % 3) switch { 0 => "comment", 1 => "forum", _ => "chat" },
            ["authorId"] = "author-" + (index % 997).ToString(CultureInfo.InvariantCulture),
            ["body"] = body + " #" + index.ToString(CultureInfo.InvariantCulture),
            ["publishedAt"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["sourceIp"] = "203.0.113." + (index % 250).ToString(CultureInfo.InvariantCulture),
            ["sourcePort"] = 40000 + index % 20000,
        });
    }

    /// <summary>Bad input number <paramref name="index"/>: one of five kinds, each rejected by the worker with a reason.</summary>
    public static byte[] Bad(string platform, int index, DateTimeOffset now)
    {
        var id = "bad-" + index.ToString(CultureInfo.InvariantCulture);
        var post = new Dictionary<string, object?>
        {
            ["platform"] = platform, ["contentId"] = id, ["version"] = 1, ["serviceType"] = "comment", ["authorId"] = "a",
            ["body"] = "ordinary text", ["publishedAt"] = now.ToString("O", CultureInfo.InvariantCulture), ["sourceIp"] = "198.51.100.7",
        };
        switch (index % 5)
        {
            case 0:
                return Encoding.UTF8.GetBytes($"{{\"platform\": \"{platform}\", \"contentId\": \"{id}\", \"body\": ");
            case 1:
                post.Remove("authorId");
                break;
            case 2:
                post["sourceIp"] = "300.1.2.3";
                break;
            case 3:
                post["publishedAt"] = now.AddDays(2).ToString("O", CultureInfo.InvariantCulture);
                break;
            default:
                post["serviceType"] = "blog";
                break;
        }
        return JsonSerializer.SerializeToUtf8Bytes(post);
    }
}
