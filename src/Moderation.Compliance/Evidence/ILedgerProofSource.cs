namespace Moderation.Compliance.Evidence;

/// <summary>
/// The seam to the tamper-evident record ledger (issue 10 item 1, built on another branch): given a record, its
/// place in the day's hash chain and the signed daily root, as lines to print. The evidence builder asks it for
/// every record it prints; until the ledger is connected, <see cref="NoLedgerProof"/> answers, and the document
/// says plainly that no chain proof is available (it still prints the record's own SHA-256 hashes).
/// </summary>
public interface ILedgerProofSource
{
    Task<LedgerProof?> ProofForAsync(string platform, string contentId, long version, CancellationToken ct);
}

/// <summary>A chain proof as printed: a one-line verdict and labelled values (entry hash, previous hash, day root, signature, key id …).</summary>
public sealed record LedgerProof(string Verdict, IReadOnlyList<KeyValuePair<string, string>> Lines);

/// <summary>The null object: no ledger connected.</summary>
public sealed class NoLedgerProof : ILedgerProofSource
{
    public Task<LedgerProof?> ProofForAsync(string platform, string contentId, long version, CancellationToken ct) => Task.FromResult<LedgerProof?>(null);
}
