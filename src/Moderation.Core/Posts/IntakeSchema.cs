using System.Globalization;
using System.Text.Json;

namespace Moderation.Core.Posts;

/// <summary>
/// Checks the shape of a raw ContentPublished JSON body before it is deserialised, so that a publisher
/// in any language gets a reason that names the field ("publishedAt must be an ISO 8601 date-time
/// string, got a number") instead of a serializer's internal message. Required fields and values are
/// checked afterwards by <see cref="PostIntake"/>. The worker runs it on every plain-JSON delivery
/// (not only when deserialisation failed): the deserialiser reads keys case-insensitively and keeps
/// the last of a repeated key, so <c>"body":"出售冰毒","Body":"今天天气很好"</c> would be moderated as the
/// harmless second body while a platform that shows the first publishes the drugs ad.
/// </summary>
public static class IntakeSchema
{
    private static readonly string[] StringFields = ["platform", "contentId", "serviceType", "authorId", "title", "body", "sourceIp"];
    private static readonly string[] DateFields = ["publishedAt", "editedAt"];
    private static readonly string[] IntegerFields = ["version", "sourcePort"];

    /// <summary>Null when the body has the right shape; otherwise one sentence saying what is wrong.</summary>
    public static string? Check(ReadOnlyMemory<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return $"The message is not valid JSON: {ex.Message}";
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return $"The message must be a JSON object, got {Kind(root.ValueKind)}.";
            try
            {
                var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in root.EnumerateObject())
                {
                    if (!seen.TryAdd(property.Name, property.Name))
                    {
                        var first = seen[property.Name];
                        return first == property.Name
                            ? $"The message has the key \"{Shorten(property.Name)}\" twice: each field may appear once."
                            : $"The message has the key \"{Shorten(property.Name)}\" twice (also as \"{Shorten(first)}\"): keys are read case-insensitively, so each field may appear once.";
                    }

                    var reason = CheckProperty(property);
                    if (reason is not null)
                        return reason;
                }
            }
            catch (InvalidOperationException ex)
            {
                return $"The message has an invalid property name: {ex.Message}";
            }
            return null;
        }
    }

    private static string? CheckProperty(JsonProperty p)
    {
        var v = p.Value;
        if (v.ValueKind == JsonValueKind.Null)
            return null;
        if (Is(StringFields, p.Name))
            return v.ValueKind == JsonValueKind.String ? CheckString(p.Name, v) : $"{p.Name} must be a string, got {Kind(v.ValueKind)}.";
        if (Is(DateFields, p.Name))
        {
            if (v.ValueKind != JsonValueKind.String)
                return $"{p.Name} must be an ISO 8601 date-time string such as 2026-11-29T08:00:00+08:00, got {Kind(v.ValueKind)}.";
            return DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
                ? null
                : $"{p.Name} '{v.GetString()}' is not an ISO 8601 date-time such as 2026-11-29T08:00:00+08:00.";
        }
        if (Is(IntegerFields, p.Name))
            return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _) ? null : $"{p.Name} must be an integer, got {Kind(v.ValueKind)} {Shorten(v.GetRawText())}.";
        if (p.NameEquals("urls"))
        {
            if (v.ValueKind != JsonValueKind.Array)
                return $"urls must be an array of strings, got {Kind(v.ValueKind)}.";
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                    return $"urls[{i}] must be a string, got {Kind(item.ValueKind)}.";
                i++;
            }
        }
        return null;
    }

    /// <summary>JSON can escape a lone surrogate ("\ud800"); reading it as a string is where that shows.</summary>
    private static string? CheckString(string name, JsonElement v)
    {
        try
        {
            _ = v.GetString();
            return null;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("UTF-8", StringComparison.Ordinal))
        {
            return $"{name} is not valid UTF-8.";
        }
        catch (InvalidOperationException)
        {
            return $"{name} holds an unpaired UTF-16 surrogate (an escaped \\uD800-\\uDFFF without its pair).";
        }
    }

    private static bool Is(string[] names, string name) => names.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static string Kind(JsonValueKind k) => k switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Shorten(string s) => s.Length <= 30 ? s : s[..30] + "…";
}
