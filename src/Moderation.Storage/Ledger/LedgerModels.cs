using Moderation.Core.Ledger;

namespace Moderation.Storage.Ledger;

/// <summary>One row about to be chained: what it is, its key, and its canonical bytes.</summary>
internal sealed record PendingEntry(string Platform, string Kind, string ContentId, long Version, Guid? DecisionId, byte[] Canonical)
{
    /// <summary>A worker batch: each fresh record, then its decision.</summary>
    public static List<PendingEntry> For(IEnumerable<ModeratedPost> fresh)
    {
        var entries = new List<PendingEntry>();
        foreach (var p in fresh)
        {
            var r = p.Record;
            entries.Add(new(r.Platform, LedgerCanonical.RecordKind, r.ContentId, r.Version, null, LedgerRecordRow.From(r).Canonical()));
            entries.Add(new(r.Platform, LedgerCanonical.DecisionKind, r.ContentId, r.Version, p.Decision.DecisionId,
                LedgerDecisionRow.From(r, p.Decision, p.EvidenceSha256).Canonical()));
        }
        return entries;
    }
}

/// <summary>A chain known to the store.</summary>
public sealed record LedgerChain(string Platform, DateOnly Day, long Entries, bool Closed);

/// <summary>One ledger entry as a proof carries it: where it sits in its chain and the hashes that link it.</summary>
public sealed record LedgerProofEntry(string Platform, DateOnly Day, long Sequence, string Kind, string ContentId, long Version, string PreviousHash, string EntryHash);

/// <summary>
/// A record's place in the ledger: its entries (the record, the worker's decision, any moderator decision) and the
/// signed root of each day they sit in, when that day is sealed.
/// </summary>
public sealed record LedgerProof(string Platform, string ContentId, long Version, IReadOnlyList<LedgerProofEntry> Entries, IReadOnlyList<SignedRoot> Roots);

/// <summary>A stored row that has no ledger entry at all (inserted behind the ledger's back).</summary>
public sealed record UnchainedRow(string Kind, string Subject);

/// <summary>Thrown when a chain that is already sealed is appended to: the sealing grace period is shorter than the clock skew between hosts.</summary>
public sealed class LedgerChainClosedException(string platform, DateOnly day)
    : InvalidOperationException($"The ledger chain of platform {platform} for {day:yyyy-MM-dd} is already sealed; raise Moderation:Ledger:SealGrace above the clock skew between hosts.");
