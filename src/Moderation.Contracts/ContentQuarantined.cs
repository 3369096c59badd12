namespace Moderation.Contracts;

/// <summary>A post is held for a moderator. The platform should hide it until released or confirmed.</summary>
public sealed record ContentQuarantined
{
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }
    public required IReadOnlyList<int> Categories { get; init; }
    public required DateTimeOffset QuarantinedAt { get; init; }
}
