using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Hosting;

/// <summary>
/// Owns the current compiled engine and replaces it when the lexicon files change. A reload
/// builds a complete new <see cref="KeywordEngine"/> off to the side and swaps one reference, so a
/// scan in flight finishes on the engine it started with and the next scan sees the new one; a
/// lexicon with errors is rejected as a whole and the previous engine stays in force.
/// </summary>
public sealed class KeywordEngineProvider : IDisposable
{
    private readonly IReadOnlyList<string> _paths;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _debounceTimer;
    private readonly TimeSpan _debounce;
    private KeywordEngine _current;
    private LexiconLoadException? _lastError;

    /// <summary>Loads the lexicon now (throws <see cref="LexiconLoadException"/> if it is bad) and optionally watches it.</summary>
    public KeywordEngineProvider(IReadOnlyList<string> paths, bool watch, TimeSpan debounce, TimeProvider time, ILogger? logger = null)
    {
        _paths = paths;
        _logger = logger ?? NullLogger.Instance;
        _debounce = debounce;
        _current = KeywordEngine.Compile(LexiconLoader.Load(paths));
        _logger.LogInformation("Keyword lexicon {Version} loaded: {Terms} terms from {Files} files", _current.Version, _current.Lexicon.Entries.Count, _current.Lexicon.Files.Count);
        if (!watch)
        {
            return;
        }

        _debounceTimer = time.CreateTimer(_ => TryReload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var path in paths)
        {
            var isDir = Directory.Exists(path);
            var dir = isDir ? path : Path.GetDirectoryName(path);
            if (dir is null || !Directory.Exists(dir))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(dir, isDir ? "*" : Path.GetFileName(path))
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
    }

    /// <summary>The engine to use for the next scan. Read once per scan.</summary>
    public KeywordEngine Current => Volatile.Read(ref _current);

    /// <summary>Why the most recent reload was rejected, or null if it succeeded.</summary>
    public LexiconLoadException? LastError => Volatile.Read(ref _lastError);

    /// <summary>Raised after a successful swap (tests and logs).</summary>
    public event EventHandler<KeywordEngine>? Reloaded;

    /// <summary>Reloads now. Returns false (and keeps the old engine) when the files have errors.</summary>
    public bool TryReload()
    {
        lock (_reloadLock)
        {
            try
            {
                var set = LexiconLoader.Load(_paths);
                if (set.Version == Current.Version)
                {
                    Volatile.Write(ref _lastError, null);
                    return true;
                }

                var engine = KeywordEngine.Compile(set);
                var old = Interlocked.Exchange(ref _current, engine);
                Volatile.Write(ref _lastError, null);
                _logger.LogInformation("Keyword lexicon reloaded: {Old} -> {New} ({Terms} terms)", old.Version, engine.Version, set.Entries.Count);
                Reloaded?.Invoke(this, engine);
                return true;
            }
            catch (LexiconLoadException ex)
            {
                Volatile.Write(ref _lastError, ex);
                _logger.LogError("Keyword lexicon reload rejected, {Version} stays in force: {Error}", Current.Version, ex.Message);
                return false;
            }
            catch (IOException ex)
            {
                // A file mid-write: the watcher fires again when the writer finishes.
                _logger.LogWarning("Keyword lexicon reload deferred: {Error}", ex.Message);
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

    private void OnChanged(object sender, FileSystemEventArgs e) => _debounceTimer?.Change(_debounce, Timeout.InfiniteTimeSpan);
}
