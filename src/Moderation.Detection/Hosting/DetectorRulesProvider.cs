using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moderation.Detection.Links;
using Moderation.Detection.Patterns;

namespace Moderation.Detection.Hosting;

/// <summary>
/// Owns the detector's current rules and replaces them when a pattern file or a domain list changes. A
/// reload loads a complete new <see cref="DetectorRules"/> off to the side and swaps one reference, so a
/// post in flight finishes on the rules it started with; rules with a bad line are rejected as a whole
/// (every bad line named as file:line in <see cref="LastError"/> and the log) and the previous rules stay.
/// </summary>
public sealed class DetectorRulesProvider : IDisposable
{
    private readonly IReadOnlyList<string> _patternPaths;
    private readonly IReadOnlyList<DomainListOptions> _domainLists;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _debounceTimer;
    private readonly TimeSpan _debounce;
    private DetectorRules _current;
    private RuleLoadException? _lastError;

    /// <summary>Loads now (throws <see cref="RuleLoadException"/> if anything is bad) and optionally watches the files.</summary>
    public DetectorRulesProvider(IReadOnlyList<string> patternPaths, IReadOnlyList<DomainListOptions> domainLists, bool watch, TimeSpan debounce, TimeProvider time, ILogger? logger = null)
    {
        _patternPaths = patternPaths;
        _domainLists = domainLists;
        _logger = logger ?? NullLogger.Instance;
        _debounce = debounce;
        _current = DetectorRules.Load(patternPaths, domainLists);
        _logger.LogInformation("Detector rules {Version} loaded: {Patterns} patterns from {Files} files, {Domains} listed domains", _current.Version, _current.Entries.Count, _current.Files.Count, _current.DomainCount);
        if (!watch)
        {
            return;
        }

        _debounceTimer = time.CreateTimer(_ => TryReload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var path in patternPaths)
        {
            Watch(path, Directory.Exists(path) ? PatternLoader.FilePattern : null);
        }

        foreach (var list in domainLists)
        {
            Watch(list.Path, null);
        }
    }

    /// <summary>The rules for the next post. Read once per post.</summary>
    public DetectorRules Current => Volatile.Read(ref _current);

    /// <summary>Why the most recent reload was rejected, or null if it succeeded.</summary>
    public RuleLoadException? LastError => Volatile.Read(ref _lastError);

    /// <summary>Raised after a successful swap (tests and logs).</summary>
    public event EventHandler<DetectorRules>? Reloaded;

    /// <summary>Reloads now. Returns false (and keeps the current rules) when a file has errors.</summary>
    public bool TryReload()
    {
        lock (_reloadLock)
        {
            try
            {
                var rules = DetectorRules.Load(_patternPaths, _domainLists);
                Volatile.Write(ref _lastError, null);
                if (rules.Version == Current.Version)
                {
                    return true;
                }

                var old = Interlocked.Exchange(ref _current, rules);
                _logger.LogInformation("Detector rules reloaded: {Old} -> {New} ({Patterns} patterns, {Domains} listed domains)", old.Version, rules.Version, rules.Entries.Count, rules.DomainCount);
                Reloaded?.Invoke(this, rules);
                return true;
            }
            catch (RuleLoadException ex)
            {
                Volatile.Write(ref _lastError, ex);
                _logger.LogError("Detector rules reload rejected, {Version} stays in force: {Error}", Current.Version, ex.Message);
                return false;
            }
        }
    }

    public void Dispose()
    {
        foreach (var w in _watchers)
        {
            w.Dispose();
        }

        _debounceTimer?.Dispose();
    }

    private void Watch(string path, string? filter)
    {
        var isDir = Directory.Exists(path);
        var dir = isDir ? path : Path.GetDirectoryName(path);
        if (dir is null || !Directory.Exists(dir))
        {
            return;
        }

        var watcher = new FileSystemWatcher(dir, isDir ? filter ?? "*" : Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += OnChanged;
        watcher.Created += OnChanged;
        watcher.Deleted += OnChanged;
        watcher.Renamed += OnChanged;
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => _debounceTimer?.Change(_debounce, Timeout.InfiniteTimeSpan);
}
