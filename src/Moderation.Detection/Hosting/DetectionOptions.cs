using Moderation.Detection.Links;

namespace Moderation.Detection.Hosting;

/// <summary>Configuration section <c>Moderation:Detection</c>.</summary>
public sealed class DetectionOptions
{
    public const string SectionName = "Moderation:Detection";

    /// <summary>False: no detector is registered.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Pattern directories (or single files), loaded together in order. Empty means the shipped lists,
    /// <c>&lt;app base&gt;/detection</c>. Relative paths are resolved against the app base directory.
    /// </summary>
    public List<string> PatternDirectories { get; set; } = [];

    /// <summary>The operator's own pattern directories, appended (local slang, new games, new channel words).</summary>
    public List<string> OperatorPatternDirectories { get; set; } = [];

    /// <summary>
    /// Domain lists to check every link against (none by default: lists go stale and are the operator's
    /// data). Relative paths are resolved against the app base directory.
    /// </summary>
    public List<DomainListOptions> DomainLists { get; set; } = [];

    /// <summary>Category a contact channel carries when the post has no lure (the hit is severity 1: weak).</summary>
    public int ContactCategory { get; set; } = SolicitationDetector.DefaultContactCategory;

    /// <summary>
    /// Categories whose lures a contact channel strengthens (offers need a way to get in touch; rumours do
    /// not). Empty means the default, 7 and 9. (Empty-means-default because configuration binding appends to
    /// a pre-filled list instead of replacing it.)
    /// </summary>
    public List<int> ContactCategories { get; set; } = [];

    public IReadOnlyList<int> ResolvedContactCategories() => ContactCategories.Count > 0 ? ContactCategories : SolicitationDetector.DefaultContactCategories;

    /// <summary>Watch the pattern directories and domain lists and reload on change.</summary>
    public bool HotReload { get; set; } = true;

    /// <summary>Quiet period after the last file change before reloading.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "detection");

    /// <summary>Every pattern path to load, absolute, defaults applied.</summary>
    public IReadOnlyList<string> ResolvedPatternPaths()
    {
        var paths = PatternDirectories.Count > 0 ? PatternDirectories : [DefaultDirectory];
        return [.. paths.Concat(OperatorPatternDirectories).Select(p => Path.GetFullPath(p, AppContext.BaseDirectory))];
    }

    /// <summary>The domain lists with absolute paths.</summary>
    public IReadOnlyList<DomainListOptions> ResolvedDomainLists() =>
        [.. DomainLists.Select(d => new DomainListOptions { Path = Path.GetFullPath(d.Path, AppContext.BaseDirectory), Category = d.Category, SubLabel = d.SubLabel, Severity = d.Severity })];
}
