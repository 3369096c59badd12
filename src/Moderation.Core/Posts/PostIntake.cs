using System.Net;
using System.Security.Cryptography;
using System.Text;
using Moderation.Contracts;

namespace Moderation.Core.Posts;

/// <summary>
/// Turns a wire <see cref="ContentPublished"/> into a <see cref="PostRecord"/>, or explains in one
/// specific sentence why it cannot. Pure: the caller supplies the time.
/// </summary>
public static class PostIntake
{
    public static PostRecord Accept(ContentPublished message, IntakeOptions options, DateTimeOffset now)
    {
        var platform = RequiredId(message.Platform, "platform", options);
        var contentId = RequiredId(message.ContentId, "contentId", options);
        var authorId = RequiredId(message.AuthorId, "authorId", options);

        var version = message.Version ?? 1;
        if (version < 1)
            throw new PostRejectedException($"version must be 1 or more (got {version}).");

        var serviceType = message.ServiceType;
        if (string.IsNullOrWhiteSpace(serviceType))
            throw new PostRejectedException("serviceType is required: one of " + string.Join(", ", ServiceTypes.All) + ".");
        if (!ServiceTypes.All.Contains(serviceType))
            throw new PostRejectedException($"serviceType '{Shorten(serviceType)}' is unknown: use one of {string.Join(", ", ServiceTypes.All)}.");

        if (message.Body is null)
            throw new PostRejectedException("body is required.");
        if (string.IsNullOrWhiteSpace(message.Body))
            throw new PostRejectedException("body is empty.");
        CheckText(message.Body, "body");
        if (IsInvisible(message.Body))
            throw new PostRejectedException("body is empty: it holds only invisible characters (zero-width, format, combining or blank characters).");
        if (message.Title is not null)
            CheckText(message.Title, "title");
        var length = message.Body.Length + (message.Title?.Length ?? 0);
        if (length > options.MaxTextChars)
            throw new PostRejectedException($"title + body is {length} characters; the limit is {options.MaxTextChars}.");

        var urls = message.Urls ?? [];
        if (urls.Count > options.MaxUrls)
            throw new PostRejectedException($"urls has {urls.Count} entries; the limit is {options.MaxUrls}.");
        for (var i = 0; i < urls.Count; i++)
        {
            if (urls[i] is { } url && url.Length > options.MaxUrlChars)
                throw new PostRejectedException($"urls[{i}] is {url.Length} characters; the limit is {options.MaxUrlChars}.");
            // On Unix "/x" parses as an absolute file: URI, so the scheme is checked too.
            if (urls[i] is null || !Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new PostRejectedException($"urls[{i}] is not an absolute http(s) URL.");
        }

        if (message.PublishedAt is not { } publishedAt)
            throw new PostRejectedException("publishedAt is required (ISO 8601 with offset, e.g. 2026-11-29T08:00:00+08:00).");
        if (publishedAt > now + options.MaxClockSkew)
            throw new PostRejectedException($"publishedAt {publishedAt:O} lies in the future (now {now:O}, allowed skew {options.MaxClockSkew}).");

        if (string.IsNullOrWhiteSpace(message.SourceIp))
            throw new PostRejectedException("sourceIp is required (clause 1.5).");
        if (!IPAddress.TryParse(message.SourceIp, out var ip) || !LooksLikeAnAddress(message.SourceIp))
            throw new PostRejectedException($"sourceIp '{Shorten(message.SourceIp)}' is not an IPv4 or IPv6 address.");
        if (message.SourcePort is { } port && port is < 0 or > 65535)
            throw new PostRejectedException($"sourcePort {port} is outside 0-65535.");

        var record = new PostRecord(
            platform, contentId, version, serviceType, authorId, message.Title, message.Body, urls,
            publishedAt.ToUniversalTime(), message.EditedAt?.ToUniversalTime(), ip.ToString(), message.SourcePort,
            now, "", now.AddDays(options.RetentionDays));
        return record with { ContentSha256 = Sha256Hex(record.Text) };
    }

    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string RequiredId(string? value, string field, IntakeOptions options)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new PostRejectedException($"{field} is required.");
        if (value.Length > options.MaxFieldChars)
            throw new PostRejectedException($"{field} is {value.Length} characters; the limit is {options.MaxFieldChars}.");
        CheckText(value, field);
        return value;
    }

    /// <summary>Unpaired surrogates cannot be stored as UTF-8 or shown to a moderator faithfully.</summary>
    private static void CheckText(string value, string field)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                throw new PostRejectedException($"{field} holds an unpaired UTF-16 high surrogate at index {i}.");
            }
            if (char.IsLowSurrogate(c))
                throw new PostRejectedException($"{field} holds an unpaired UTF-16 low surrogate at index {i}.");
            if (c == '\0')
                throw new PostRejectedException($"{field} holds a NUL character at index {i}.");
        }
    }

    /// <summary>
    /// True when nothing in the text would show: whitespace, format characters (zero-width space and
    /// joiners, BOM, bidi controls, tags), control characters, combining marks with no base, variation
    /// selectors, and the blank "letters" used as invisible filler (Hangul fillers, braille blank).
    /// </summary>
    internal static bool IsInvisible(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800)
                continue;
            switch (Rune.GetUnicodeCategory(rune))
            {
                case System.Globalization.UnicodeCategory.Format:
                case System.Globalization.UnicodeCategory.Control:
                case System.Globalization.UnicodeCategory.NonSpacingMark:
                case System.Globalization.UnicodeCategory.EnclosingMark:
                case System.Globalization.UnicodeCategory.SpacingCombiningMark:
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthand; a log record should not.</summary>
    private static bool LooksLikeAnAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
