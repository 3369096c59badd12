namespace Moderation.Contracts;

/// <summary>
/// A post a platform publishes for moderation. Sent as plain JSON (camelCase) by any language.
/// Identity is (Platform, ContentId, Version): an edit is a new version with its own record.
/// Text fields are strings rather than enums so a wrong value gets a specific rejection reason
/// from the validator instead of a generic deserialisation failure.
/// </summary>
public sealed record ContentPublished
{
    /// <summary>The tenant: which platform published the post.</summary>
    public string? Platform { get; init; }

    /// <summary>The platform's own id of the post.</summary>
    public string? ContentId { get; init; }

    /// <summary>Edit counter; 1 for the first version. Defaults to 1 when omitted.</summary>
    public long? Version { get; init; }

    /// <summary>When this version was edited, if it is an edit.</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>One of <see cref="ServiceTypes.All"/>.</summary>
    public string? ServiceType { get; init; }

    public string? AuthorId { get; init; }

    public string? Title { get; init; }

    public string? Body { get; init; }

    public IReadOnlyList<string>? Urls { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>IPv4 or IPv6 address the post came from (clause 1.5 record).</summary>
    public string? SourceIp { get; init; }

    public int? SourcePort { get; init; }
}
