using Moderation.Banks;
using Moderation.Storage.Banks;

namespace Moderation.Pipeline.Banks;

/// <summary>Stored entries as the matcher takes them. Shared by the worker's refresh, replay and import.</summary>
public static class BankEntries
{
    public static BankEntry ToEntry(ActiveBankEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new BankEntry(e.Bank, e.Bank, e.EntryId, e.Category, e.SubLabel,
            string.Equals(e.Action, BankRules.Block, StringComparison.Ordinal) ? BankAction.Block : BankAction.Quarantine, e.Threshold, e.Text);
    }

    /// <summary>
    /// The entries the index can take, and how many it cannot (a stored entry made unmatchable by a change of the
    /// matcher's options, say): those are left out and counted rather than stopping the worker.
    /// </summary>
    public static (List<BankEntry> Entries, int Refused) Indexable(IEnumerable<ActiveBankEntry> rows, BankIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = new List<BankEntry>();
        var refused = 0;
        foreach (var row in rows)
        {
            var entry = ToEntry(row);
            if (BankIndex.Problem(entry, options) is null)
                list.Add(entry);
            else
                refused++;
        }
        return (list, refused);
    }

    /// <summary>Builds the index of <paramref name="contents"/>.</summary>
    public static (BankIndex Index, int Refused) Build(BankContents contents, BankIndexOptions options, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var (entries, refused) = Indexable(contents.Entries, options);
        return (BankIndex.Build(entries, options, Math.Max(1, parallelism)), refused);
    }

    /// <summary>Applies a delta read from the store to <paramref name="provider"/>, recording the version it reaches.</summary>
    public static int Apply(BankIndexProvider provider, BankDelta delta, BankIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(delta);
        var removals = delta.Removals.Select(r => new BankEntryKey(r.Bank, r.EntryId)).ToList();
        if (delta.ResetBanks.Count > 0)
        {
            var reset = delta.ResetBanks.ToHashSet(StringComparer.Ordinal);
            removals.AddRange(provider.Current.Entries.Where(e => reset.Contains(e.BankId)).Select(e => e.Key));
        }
        var (upserts, refused) = Indexable(delta.Upserts, options);
        provider.Apply(upserts, removals, delta.Version);
        return refused;
    }
}
