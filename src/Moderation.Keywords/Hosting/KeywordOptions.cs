namespace Moderation.Keywords.Hosting;

/// <summary>Configuration section <c>Moderation:Keywords</c>.</summary>
public sealed class KeywordOptions
{
    public const string SectionName = "Moderation:Keywords";

    /// <summary>
    /// Lexicon directories (or single files) loaded together, in order. Empty means the shipped
    /// default, <c>&lt;app base&gt;/lexicon</c>. Relative paths are resolved against the app base directory.
    /// </summary>
    public List<string> LexiconDirectories { get; set; } = [];

    /// <summary>Extra directories appended after <see cref="LexiconDirectories"/> (typically the operator's).</summary>
    public List<string> OperatorDirectories { get; set; } = [];

    /// <summary>Watch the directories and reload on change.</summary>
    public bool HotReload { get; set; } = true;

    /// <summary>Quiet period after the last file change before reloading (editors write in bursts).</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Hits listed per (term, category) in one post; further ones are counted, not listed, so a post that
    /// repeats one term 50,000 times makes a small decision and a small event.
    /// </summary>
    public int MaxHitsPerTerm { get; set; } = Engine.KeywordEngine.DefaultMaxHitsPerTerm;

    /// <summary>The shipped default lexicon directory next to the application.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "lexicon");

    /// <summary>Every path to load, absolute, defaults applied.</summary>
    public IReadOnlyList<string> ResolvedPaths()
    {
        var paths = LexiconDirectories.Count > 0 ? LexiconDirectories : [DefaultDirectory];
        return [.. paths.Concat(OperatorDirectories).Select(p => Path.GetFullPath(p, AppContext.BaseDirectory))];
    }
}
