namespace Moderation.Contracts;

/// <summary>A moderator released a quarantined post: the platform may show it again.</summary>
public sealed record ContentReleased
{
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }
    public required string ReleasedBy { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset ReleasedAt { get; init; }
}
