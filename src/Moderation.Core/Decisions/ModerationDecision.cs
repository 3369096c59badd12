using System.Text.Json.Serialization;
using Moderation.Contracts;

namespace Moderation.Core.Decisions;

/// <summary>
/// One decision on one post version, with every piece of evidence and every version that produced it.
/// <see cref="HitsOmitted"/>: hits found beyond the per-term cap and not listed in <see cref="Hits"/>
/// (0 in decisions stored before the cap existed). <see cref="BankVersion"/>: the content banks the post was
/// matched against (<c>&lt;change sequence&gt;:&lt;index digest&gt;</c>), null when no banks are configured; left out
/// of the JSON when null, so decisions made without banks serialise exactly as before.
/// </summary>
public sealed record ModerationDecision(
    Guid DecisionId,
    string Action,
    IReadOnlyList<int> Categories,
    IReadOnlyList<CategoryScore> Scores,
    IReadOnlyList<KeywordHit> Hits,
    IReadOnlyList<string> Reasons,
    string LexiconVersion,
    string ModelVersion,
    string PolicyVersion,
    DateTimeOffset DecidedAt,
    int HitsOmitted = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BankVersion = null);
