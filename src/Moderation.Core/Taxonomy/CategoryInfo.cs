namespace Moderation.Core.Taxonomy;

/// <summary>One clause-1.3 category as the taxonomy file describes it.</summary>
public sealed record CategoryInfo(int Code, string Zh, string En, IReadOnlyList<string> SubLabels);
