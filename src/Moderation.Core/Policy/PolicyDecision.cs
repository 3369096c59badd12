using Moderation.Contracts;

namespace Moderation.Core.Policy;

/// <summary>The action and the categories that drove it, with a human-readable reason per category.</summary>
public sealed record PolicyDecision(string Action, IReadOnlyList<int> Categories, IReadOnlyList<string> Reasons)
{
    public static PolicyDecision Pass { get; } = new(ModerationActions.Pass, [], []);
}
