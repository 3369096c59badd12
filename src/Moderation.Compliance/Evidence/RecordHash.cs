using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Moderation.Core.Posts;
using Moderation.Storage.Compliance;

namespace Moderation.Compliance.Evidence;

/// <summary>
/// The SHA-256 of a record as its row holds it now, over a documented canonical form (docs/compliance-desk.md):
/// UTF-8 JSON without whitespace, these keys in this order — platform, contentId, version, serviceType, authorId,
/// title, body, urls, publishedAt, editedAt, sourceIp, sourcePort, receivedAt, contentSha256 — with times as UTC
/// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> (microseconds: what PostgreSQL keeps) and strings escaped as .NET's
/// System.Text.Json writes them by default (non-ASCII as \uXXXX). Retention date and legal hold are left out: an
/// operator changes them lawfully. Anyone with the printed values can recompute it.
/// </summary>
public static class RecordHash
{
    public static string Canonical(StoredRecordRow r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("platform", r.Platform);
            w.WriteString("contentId", r.ContentId);
            w.WriteNumber("version", r.Version);
            w.WriteString("serviceType", r.ServiceType);
            w.WriteString("authorId", r.AuthorId);
            if (r.Title is null) w.WriteNull("title"); else w.WriteString("title", r.Title);
            w.WriteString("body", r.Body);
            w.WriteStartArray("urls");
            foreach (var u in r.Urls) w.WriteStringValue(u);
            w.WriteEndArray();
            w.WriteString("publishedAt", Time(r.PublishedAt));
            if (r.EditedAt is { } e) w.WriteString("editedAt", Time(e)); else w.WriteNull("editedAt");
            w.WriteString("sourceIp", r.SourceIp);
            if (r.SourcePort is { } p) w.WriteNumber("sourcePort", p); else w.WriteNull("sourcePort");
            w.WriteString("receivedAt", Time(r.ReceivedAt));
            w.WriteString("contentSha256", r.ContentSha256);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Sha256(StoredRecordRow r) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(r))));

    /// <summary>Whether the row's text still hashes to the content hash taken at intake.</summary>
    public static bool ContentMatches(StoredRecordRow r) => PostIntake.Sha256Hex(PostRecord.ComposeText(r.Title, r.Body)) == r.ContentSha256;

    private static string Time(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var micro = new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
        return micro.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }
}
