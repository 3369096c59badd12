namespace Moderation.Contracts;

/// <summary>Sent back by the platform once it has removed the post; recorded against the decision.</summary>
public sealed record TakedownCompleted
{
    public string? Platform { get; init; }
    public string? ContentId { get; init; }
    public long? Version { get; init; }
    public Guid? TakedownId { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}
