using System.Text.Json.Serialization;

namespace Moderation.Contracts;

/// <summary>Every decision, whatever its outcome. Carries everything needed to explain and replay it.</summary>
public sealed record ContentModerated
{
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }

    /// <summary>pass, quarantine or block (<see cref="ModerationActions"/>).</summary>
    public required string Action { get; init; }

    /// <summary>Category codes (1–9) that drove the action; empty on pass.</summary>
    public required IReadOnlyList<int> Categories { get; init; }
    public required IReadOnlyList<CategoryScore> Scores { get; init; }
    public required IReadOnlyList<KeywordHit> Hits { get; init; }

    /// <summary>Hits found beyond the per-term cap and not listed in <see cref="Hits"/> (0 when all are listed).</summary>
    public int HitsOmitted { get; init; }
    public required string LexiconVersion { get; init; }
    public required string ModelVersion { get; init; }
    public required string PolicyVersion { get; init; }

    /// <summary>
    /// The content banks the post was matched against: "&lt;bank change sequence&gt;:&lt;index digest&gt;"; absent when
    /// the worker runs without banks (older consumers ignore it, older messages lack it).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BankVersion { get; init; }
    public required string ContentSha256 { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }
}
