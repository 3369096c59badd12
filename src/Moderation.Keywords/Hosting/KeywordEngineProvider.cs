using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Hosting;

/// <summary>
/// Owns the current compiled engine and replaces it when the lexicon files change.
/// <para>
/// Start-up: the first lexicon is loaded and compiled in the background (an operator's million-term
/// list takes seconds), so the host starts at once; <see cref="IsReady"/> and <see cref="WhenReady"/>
/// say when the engine is there (the worker awaits it before moderating, so posts wait unacked;
/// health checks read it). <see cref="WhenReady"/> faults when the first lexicon cannot be loaded.
/// </para>
/// <para>
/// Reload: a complete new <see cref="KeywordEngine"/> is built off to the side and one reference is
/// swapped, so a scan in flight finishes on the engine it started with. A lexicon with errors is
/// rejected as a whole. So is a reload that would drop a file or remove most of the terms of a file or
/// of a category (a file deleted or emptied by mistake would silently stop the pipeline from seeing
/// anything), unless a file named <see cref="ShrinkMarker"/> is present in one of the lexicon
/// directories. Either way the previous engine stays in force and <see cref="LastError"/> says why.
/// </para>
/// </summary>
public sealed class KeywordEngineProvider : IDisposable
{
    /// <summary>Meter name; another component exports every <c>Moderation.*</c> meter.</summary>
    public const string MeterName = "Moderation.Keywords";

    /// <summary>Present in a lexicon directory, it lets reloads drop files and most terms (delete it afterwards).</summary>
    public const string ShrinkMarker = "ALLOW-SHRINK";

    private readonly IReadOnlyList<string> _paths;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer? _debounceTimer;
    private readonly TimeSpan _debounce;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Meter _meter;
    private readonly Counter<long> _reloads;
    private KeywordEngine? _current;
    private int[] _categoryCounts = new int[10];
    private LexiconLoadException? _lastError;

    /// <summary>Starts loading the lexicon in the background and optionally watches it.</summary>
    public KeywordEngineProvider(
        IReadOnlyList<string> paths, bool watch, TimeSpan debounce, TimeProvider time, ILogger? logger = null, IMeterFactory? meters = null)
    {
        _paths = paths;
        _logger = logger ?? NullLogger.Instance;
        _debounce = debounce;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("moderation.lexicon.terms", ObserveTerms, description: "Lexicon terms in force, by clause-1.3 category.");
        _meter.CreateObservableGauge("moderation.lexicon.ready", () => IsReady ? 1 : 0, description: "1 once the first lexicon is compiled.");
        _reloads = _meter.CreateCounter<long>("moderation.lexicon.reloads", description: "Lexicon reloads by outcome (applied, unchanged, rejected).");
        _ = Task.Run(LoadFirst);
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

    /// <summary>True once the first engine is compiled.</summary>
    public bool IsReady => Volatile.Read(ref _current) is not null;

    /// <summary>Completes when the first engine is compiled; faults with the reason when the first lexicon cannot be loaded.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>
    /// The engine to use for the next scan; read once per scan. Before the first engine is ready this
    /// waits for it (callers on the hot path await <see cref="WhenReady"/> first, so they never wait here).
    /// </summary>
    public KeywordEngine Current => Volatile.Read(ref _current) ?? WaitForFirst();

    /// <summary>Why the most recent load or reload was rejected, or null if it succeeded.</summary>
    public LexiconLoadException? LastError => Volatile.Read(ref _lastError);

    /// <summary>Raised after a successful swap (tests and logs).</summary>
    public event EventHandler<KeywordEngine>? Reloaded;

    /// <summary>Reloads now. Returns false (and keeps the engine in force) when the files have errors or would shrink the lexicon.</summary>
    public bool TryReload()
    {
        try
        {
            // A change during the first load is compared with what that load found.
            WhenReady.GetAwaiter().GetResult();
        }
        catch (LexiconLoadException)
        {
            return false; // nothing in force to reload: the worker stops on a failed first load
        }

        lock (_reloadLock)
        {
            var current = Current;
            try
            {
                var set = LexiconLoader.Load(_paths);
                if (set.Version == current.Version)
                {
                    Volatile.Write(ref _lastError, null);
                    _reloads.Add(1, new KeyValuePair<string, object?>("outcome", "unchanged"));
                    return true;
                }

                var shrink = ShrinkCheck.Compare(current.Lexicon, set);
                if (shrink.Count > 0)
                {
                    var marker = FindShrinkMarker();
                    if (marker is null)
                    {
                        throw new LexiconLoadException(shrink);
                    }

                    _logger.LogWarning("Keyword lexicon shrinks and {Marker} allows it: {Changes}. Delete the marker when done.", marker, string.Join("; ", shrink));
                }

                var engine = KeywordEngine.Compile(set);
                var old = Swap(engine);
                Volatile.Write(ref _lastError, null);
                _reloads.Add(1, new KeyValuePair<string, object?>("outcome", "applied"));
                _logger.LogInformation("Keyword lexicon reloaded: {Old} -> {New} ({Terms} terms)", old?.Version, engine.Version, set.Entries.Count);
                Reloaded?.Invoke(this, engine);
                return true;
            }
            catch (LexiconLoadException ex)
            {
                Volatile.Write(ref _lastError, ex);
                _reloads.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
                _logger.LogError("Keyword lexicon reload rejected, {Version} stays in force: {Error}", current.Version, ex.Message);
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
        _meter.Dispose();
    }

    private void LoadFirst()
    {
        lock (_reloadLock)
        {
            try
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var engine = KeywordEngine.Compile(LexiconLoader.Load(_paths));
                WordBoundaries.WarmUp(); // the segmenter's dictionary, before the first post rather than during it
                Swap(engine);
                Volatile.Write(ref _lastError, null);
                _logger.LogInformation(
                    "Keyword lexicon {Version} ready: {Terms} terms from {Files} files in {Seconds:F1} s",
                    engine.Version, engine.Lexicon.Entries.Count, engine.Lexicon.Files.Count, watch.Elapsed.TotalSeconds);
                _ready.TrySetResult();
            }
            catch (Exception ex) when (ex is LexiconLoadException or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                var error = ex as LexiconLoadException ?? new LexiconLoadException(ex.Message, ex);
                Volatile.Write(ref _lastError, error);
                _logger.LogCritical("Keyword lexicon could not be loaded: {Error}", error.Message);
                _ready.TrySetException(error);
            }
        }
    }

    private KeywordEngine WaitForFirst()
    {
        WhenReady.GetAwaiter().GetResult();
        return Volatile.Read(ref _current)!;
    }

    private KeywordEngine? Swap(KeywordEngine engine)
    {
        Volatile.Write(ref _categoryCounts, engine.Lexicon.CategoryCounts());
        return Interlocked.Exchange(ref _current, engine);
    }

    private IEnumerable<Measurement<long>> ObserveTerms()
    {
        if (!IsReady)
        {
            yield break;
        }

        var counts = Volatile.Read(ref _categoryCounts);
        for (var category = 1; category < counts.Length; category++)
        {
            yield return new Measurement<long>(counts[category], new KeyValuePair<string, object?>("category", category));
        }
    }

    private string? FindShrinkMarker()
    {
        foreach (var path in _paths)
        {
            var dir = Directory.Exists(path) ? path : Path.GetDirectoryName(path);
            var marker = dir is null ? null : Path.Combine(dir, ShrinkMarker);
            if (marker is not null && File.Exists(marker))
            {
                return marker;
            }
        }

        return null;
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => _debounceTimer?.Change(_debounce, Timeout.InfiniteTimeSpan);
}
