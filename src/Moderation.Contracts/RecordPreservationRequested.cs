namespace Moderation.Contracts;

/// <summary>
/// Clause 3: keep the records of this post. EvidenceSha256 is the SHA-256 of the canonical evidence
/// snapshot (record + decision), so a later copy can be shown to be unaltered.
/// </summary>
public sealed record RecordPreservationRequested
{
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }
    public required IReadOnlyList<int> Categories { get; init; }
    public required string ContentSha256 { get; init; }
    public required string EvidenceSha256 { get; init; }
    public required DateTimeOffset PreserveUntil { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
