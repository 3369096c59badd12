using System.Text.Json;

namespace Moderation.Core.Taxonomy;

/// <summary>
/// The nine categories of clause 1.3, read from the embedded taxonomy.json so the list is data:
/// adding a sub-label is a data change, not a code change.
/// </summary>
public sealed class ProhibitedCategories
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
    private readonly Dictionary<int, CategoryInfo> _byCode;

    private ProhibitedCategories(IReadOnlyList<CategoryInfo> all)
    {
        All = all;
        _byCode = all.ToDictionary(c => c.Code);
    }

    public IReadOnlyList<CategoryInfo> All { get; }

    /// <summary>The taxonomy shipped with the assembly. Immutable, so one shared instance is safe.</summary>
    public static ProhibitedCategories Default { get; } = LoadEmbedded();

    public bool IsKnown(int code) => _byCode.ContainsKey(code);

    public CategoryInfo this[int code] => _byCode.TryGetValue(code, out var info)
        ? info
        : throw new ArgumentOutOfRangeException(nameof(code), code, "Category codes run from 1 to 9 (clause 1.3).");

    private static ProhibitedCategories LoadEmbedded()
    {
        using var stream = typeof(ProhibitedCategories).Assembly.GetManifestResourceStream("Moderation.Core.taxonomy.json")
            ?? throw new InvalidOperationException("taxonomy.json is not embedded in Moderation.Core.");
        var file = JsonSerializer.Deserialize<TaxonomyFile>(stream, JsonOptions)
            ?? throw new InvalidOperationException("taxonomy.json is empty.");
        return new ProhibitedCategories(file.Categories);
    }

    private sealed record TaxonomyFile(IReadOnlyList<CategoryInfo> Categories);
}
