using System.Globalization;
using System.Text.Json;

namespace Moderation.Cli.Pipeline;

/// <summary>Seeded posts for the pipeline benchmark: mostly clean, some that the default lexicon flags.</summary>
internal static class BenchPosts
{
    private static readonly string[] Clean =
    [
        "今天天气很好，我们一起去公园散步吧，顺便带上孩子放风筝。",
        "这家店的牛肉面味道不错，价格也公道，推荐大家去尝尝。",
        "The city council voted to extend the bus line to the new hospital next spring.",
        "周末的读书会改到下午三点，地点还是图书馆二楼。",
    ];

    private static readonly string[] Flagged =
    [
        "本店长期出售冰毒，价格优惠，加微信详谈。",
        "网上赌场，百家乐在线下注，首充送彩金！",
    ];

    public static byte[] Json(string run, int index)
    {
        var body = index % 10 == 0 ? Flagged[index / 10 % Flagged.Length] : Clean[index % Clean.Length];
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["platform"] = "bench-" + run,
            ["contentId"] = index.ToString(CultureInfo.InvariantCulture),
            ["version"] = 1,
            ["serviceType"] = "comment",
            ["authorId"] = "author-" + (index % 500).ToString(CultureInfo.InvariantCulture),
            ["body"] = body,
            ["publishedAt"] = TimeProvider.System.GetUtcNow().ToString("O"),
            ["sourceIp"] = "203.0.113." + (index % 250).ToString(CultureInfo.InvariantCulture),
        });
    }

    public static int IndexOf(string? contentId) =>
        int.TryParse(contentId, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;
}
