namespace Moderation.Core.Posts;

/// <summary>
/// The clause-1.5 record of one post version: what was said, when, from where, by whom.
/// Text is what the classifiers saw (title, newline, body) so hit offsets index into it.
/// </summary>
public sealed record PostRecord(
    string Platform,
    string ContentId,
    long Version,
    string ServiceType,
    string AuthorId,
    string? Title,
    string Body,
    IReadOnlyList<string> Urls,
    DateTimeOffset PublishedAt,
    DateTimeOffset? EditedAt,
    string SourceIp,
    int? SourcePort,
    DateTimeOffset ReceivedAt,
    string ContentSha256,
    DateTimeOffset RetainUntil)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Text => ComposeText(Title, Body);

    /// <summary>
    /// What the classifiers see, and so what every hit offset indexes into: the title, a newline, then the
    /// body (just the body when there is no title). The one definition, for anything that rebuilds it.
    /// </summary>
    public static string ComposeText(string? title, string body) => title is { Length: > 0 } ? title + "\n" + body : body;
}
