using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moderation.Banks;

/// <summary>
/// Owns the current <see cref="BankIndex"/> of a running worker. Matching reads <see cref="Current"/> once
/// per post and never waits; changes (a moderator's confirm or release, an import) are applied under a lock
/// and swapped in with one reference write, so they are matchable on the very next post. When the delta
/// has grown enough, a compaction runs in the background on a snapshot, and the changes made meanwhile are
/// replayed onto its result before it is swapped in: no change is lost and matching never pauses.
/// </summary>
public sealed class BankIndexProvider
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private BankIndex _current;
    private List<(BankEntry[] Upserts, BankEntryKey[] Removals)>? _sinceSnapshot;
    private long _generation;
    private Task _compaction = Task.CompletedTask;

    public BankIndexProvider(BankIndex initial, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The index to match the next post against. Read it once per post.</summary>
    public BankIndex Current => Volatile.Read(ref _current);

    /// <summary>The compaction running now, or a completed task (tests and orderly shutdown await it).</summary>
    public Task Compaction
    {
        get
        {
            lock (_lock)
            {
                return _compaction;
            }
        }
    }

    /// <summary>Raised after every swap, with the new index (logs, metrics, tests).</summary>
    public event EventHandler<BankIndex>? Changed;

    /// <summary>Applies the changes (see <see cref="BankIndex.Apply"/>) and swaps the result in; returns it.</summary>
    public BankIndex Apply(IEnumerable<BankEntry> upserts, IEnumerable<BankEntryKey> removals)
    {
        var u = upserts.ToArray();
        var r = removals.ToArray();
        BankIndex next;
        lock (_lock)
        {
            var current = _current;
            next = current.Apply(u, r);
            if (ReferenceEquals(next, current))
            {
                return current;
            }

            Volatile.Write(ref _current, next);
            if (_sinceSnapshot is not null)
            {
                _sinceSnapshot.Add((u, r));
            }
            else if (next.NeedsCompaction)
            {
                StartCompaction(next);
            }
        }

        Changed?.Invoke(this, next);
        return next;
    }

    public BankIndex Add(BankEntry entry) => Apply([entry], []);

    public BankIndex Remove(BankEntryKey key) => Apply([], [key]);

    /// <summary>Swaps in a whole new index (a full reload); a compaction in flight is discarded.</summary>
    public void Replace(BankIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        lock (_lock)
        {
            _generation++;
            _sinceSnapshot = null;
            Volatile.Write(ref _current, index);
        }

        Changed?.Invoke(this, index);
    }

    private void StartCompaction(BankIndex snapshot)
    {
        _sinceSnapshot = [];
        var generation = _generation;
        _compaction = Task.Run(() =>
        {
            BankIndex? compacted = null;
            try
            {
                compacted = snapshot.Compact();
            }
            catch (Exception ex) when (ex is ArgumentException or OutOfMemoryException)
            {
                _logger.LogError(ex, "Bank index compaction failed; the delta keeps growing until the next attempt");
            }

            lock (_lock)
            {
                if (generation != _generation || _sinceSnapshot is null)
                {
                    return;
                }

                var log = _sinceSnapshot;
                _sinceSnapshot = null;
                if (compacted is null)
                {
                    return;
                }

                foreach (var (u, r) in log)
                {
                    compacted = compacted.Apply(u, r);
                }

                Volatile.Write(ref _current, compacted);
                _logger.LogInformation("Bank index compacted: {Count} entries, version {Version}", compacted.Count, compacted.Version);
            }

            Changed?.Invoke(this, compacted);
        });
    }
}
