using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moderation.Storage.Review;

/// <summary>
/// Every string the audit log stores goes through here, on both providers and for every caller, so no path can
/// store more (a 30,000-character User-Agent of a failed login) or worse (a NUL, which PostgreSQL's text and jsonb
/// refuse, so the row would be lost with a 500) than another. Control characters and unpaired surrogates become
/// U+FFFD, so what was sent stays visible without being stored; line breaks and tabs are kept only inside the
/// details (a note or a reason may have several lines). Over-long values are cut and end with "…".
/// </summary>
public static class AuditText
{
    public const int ActorChars = 200;
    public const int UserAgentChars = 300;
    public const int ShortChars = 64;
    public const int MaxRoles = 16;
    public const int DetailChars = 4000;
    public const int DetailItems = 100;

    private const char Replacement = '\uFFFD';
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Clean(string value, int maxChars, bool keepLineBreaks = false)
    {
        StringBuilder? sb = null;
        var length = Math.Min(value.Length, maxChars);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            var bad = char.IsSurrogate(c)
                ? !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                  && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(value[i - 1]))
                : char.IsControl(c) && !(keepLineBreaks && c is '\n' or '\r' or '\t');
            if (!bad && sb is null) continue;
            sb ??= new StringBuilder(value, 0, i, length + 1);
            sb.Append(bad ? Replacement : c);
        }
        if (value.Length <= maxChars)
            return sb?.ToString() ?? value;
        // Cut without splitting a surrogate pair, and say so.
        var cut = sb?.ToString() ?? value[..length];
        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1])) cut = cut[..^1];
        return cut[..Math.Max(0, cut.Length - 1)] + "…";
    }

    public static string? CleanOptional(string? value, int maxChars) => value is null ? null : Clean(value, maxChars);

    public static string[] Roles(IReadOnlyList<string> roles) =>
        roles.Take(MaxRoles).Select(r => Clean(r, ShortChars)).ToArray();

    /// <summary>The details as JSON, every string in them cleaned and cut, every array cut to <see cref="DetailItems"/>.</summary>
    public static string Details(object? details)
    {
        var node = JsonSerializer.SerializeToNode(details ?? new { }, Json);
        return (Walk(node) ?? new JsonObject()).ToJsonString(Json);
    }

    private static JsonNode? Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var cleanKey = Clean(key, ShortChars);
                    var cleanValue = Walk(value);
                    if (!ReferenceEquals(cleanValue, value) || cleanKey != key)
                    {
                        obj.Remove(key);
                        obj[cleanKey] = cleanValue;
                    }
                }
                return obj;
            case JsonArray array:
                while (array.Count > DetailItems) array.RemoveAt(array.Count - 1);
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var clean = Walk(item);
                    if (!ReferenceEquals(clean, item))
                        array[i] = clean;
                }
                return array;
            case JsonValue value when value.TryGetValue<string>(out var s):
                var cleaned = Clean(s, DetailChars, keepLineBreaks: true);
                return cleaned == s ? value : JsonValue.Create(cleaned);
            default:
                return node;
        }
    }
}
