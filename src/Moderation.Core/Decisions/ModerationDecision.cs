using Moderation.Contracts;

namespace Moderation.Core.Decisions;

/// <summary>One decision on one post version, with every piece of evidence and every version that produced it.</summary>
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
    DateTimeOffset DecidedAt);
