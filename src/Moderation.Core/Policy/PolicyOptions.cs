namespace Moderation.Core.Policy;

/// <summary>Configuration section "Moderation:Policy". Validated at start-up by <see cref="PolicyOptionsValidator"/>.</summary>
public sealed class PolicyOptions
{
    public const string Section = "Moderation:Policy";

    /// <summary>Carried on every decision so it can be replayed under the same rules.</summary>
    public string Version { get; set; } = "default-1";

    /// <summary>Applies to every category without its own entry.</summary>
    public CategoryPolicy Default { get; set; } = new();

    /// <summary>Per-category overrides keyed by code "1".."9".</summary>
    public Dictionary<string, CategoryPolicy> Categories { get; set; } = [];

    public CategoryPolicy For(int category) =>
        Categories.TryGetValue(category.ToString(System.Globalization.CultureInfo.InvariantCulture), out var policy) ? policy : Default;
}
