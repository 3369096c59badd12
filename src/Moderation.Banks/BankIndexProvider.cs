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
    // The index and the change sequence it reflects, swapped as one reference so a reader never waits and never
    // sees one without the other.
    private State _state;
    private List<(BankEntry[] Upserts, BankEntryKey[] Removals)>? _sinceSnapshot;
    private long _generation;
    private Task _compaction = Task.CompletedTask;

    public BankIndexProvider(BankIndex initial, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _state = new State(initial, 0);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The index to match the next post against. Read it once per post.</summary>
    public BankIndex Current => Volatile.Read(ref _state).Index;

    /// <summary>
    /// The index with the bank change sequence (the database's bank version) it reflects, read together under
    /// the lock so the pair is consistent; 0 when no sequence was given. For the version a decision records.
    /// </summary>
    public (BankIndex Index, long Sequence) Snapshot
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return (state.Index, state.Sequence);
        }
    }

    /// <summary>The bank change sequence the current index reflects (0: none given).</summary>
    public long Sequence => Volatile.Read(ref _state).Sequence;

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
    public BankIndex Apply(IEnumerable<BankEntry> upserts, IEnumerable<BankEntryKey> removals) => Apply(upserts, removals, null);

    /// <summary>As <see cref="Apply(IEnumerable{BankEntry}, IEnumerable{BankEntryKey})"/>, and records that the index now reflects change <paramref name="sequence"/>.</summary>
    public BankIndex Apply(IEnumerable<BankEntry> upserts, IEnumerable<BankEntryKey> removals, long? sequence)
    {
        var u = upserts.ToArray();
        var r = removals.ToArray();
        BankIndex next;
        lock (_lock)
        {
            var state = _state;
            var current = state.Index;
            next = current.Apply(u, r);
            if (ReferenceEquals(next, current))
            {
                if (sequence is { } same && same != state.Sequence)
                {
                    Volatile.Write(ref _state, state with { Sequence = same });
                }

                return current;
            }

            Volatile.Write(ref _state, new State(next, sequence ?? state.Sequence));
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
    public void Replace(BankIndex index) => Replace(index, null);

    /// <summary>As <see cref="Replace(BankIndex)"/>, and records that the index reflects change <paramref name="sequence"/>.</summary>
    public void Replace(BankIndex index, long? sequence)
    {
        ArgumentNullException.ThrowIfNull(index);
        lock (_lock)
        {
            _generation++;
            _sinceSnapshot = null;
            Volatile.Write(ref _state, new State(index, sequence ?? _state.Sequence));
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

                Volatile.Write(ref _state, _state with { Index = compacted });
                _logger.LogInformation("Bank index compacted: {Count} entries, version {Version}", compacted.Count, compacted.Version);
            }

            Changed?.Invoke(this, compacted);
        });
    }

    private sealed record State(BankIndex Index, long Sequence);
}
