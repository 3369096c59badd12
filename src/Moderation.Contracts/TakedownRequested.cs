namespace Moderation.Contracts;

/// <summary>Clause 3: take the post down now. RequestedBy is "auto" or the confirming moderator.</summary>
public sealed record TakedownRequested
{
    public required Guid TakedownId { get; init; }
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }
    public required IReadOnlyList<int> Categories { get; init; }
    public required string Reason { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
