namespace Moderation.Cli.Decisions;

/// <summary>
/// Names the part of the pipeline behind a decision from its first reason ("9: keyword '洗钱' …",
/// "9: lure/fraud '刷单' …", "8: model score …"), so a false-alarm count can say which part to fix
/// without printing any row.
/// </summary>
internal static class FalseAlarmSource
{
    public static string Of(IReadOnlyList<string> reasons)
    {
        if (reasons.Count == 0)
            return "unknown";
        var reason = reasons[0];
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        var body = colon < 0 ? reason : reason[(colon + 2)..];
        var category = colon < 0 ? "?" : reason[..colon];
        var end = body.IndexOfAny([' ', '/']);
        var kind = end < 0 ? body : body[..end];
        return $"{kind}({category})";
    }
}
