using Moderation.Core.Ledger;

namespace Moderation.Storage.Ledger;

/// <summary>Read side of the record ledger, for evidence documents and exports (the compliance desk reads proofs here).</summary>
public interface ILedgerReader
{
    /// <summary>The ledger entries of one record version (record, decision, moderator decision) and the signed roots of their days; null when it has none.</summary>
    Task<LedgerProof?> GetProofAsync(string platform, string contentId, long version, CancellationToken ct);

    /// <summary>Every entry of one chain from <paramref name="fromSequence"/> on (hashes and keys only): what links an entry to its day's signed root.</summary>
    Task<IReadOnlyList<LedgerProofEntry>> ChainTailAsync(string platform, DateOnly day, long fromSequence, CancellationToken ct);
}

/// <summary>The ledger's maintenance and verification side: chains, sealing, and everything a verifier reads.</summary>
public interface ILedgerStore : ILedgerReader
{
    /// <summary>Chains in a day range [from, to], optionally of one platform, in (platform, day) order.</summary>
    Task<IReadOnlyList<LedgerChain>> ChainsAsync(string? platform, DateOnly? from, DateOnly? to, CancellationToken ct);

    /// <summary>One chain read back for <see cref="ChainVerifier"/>: entries with their rows' canonical bytes rebuilt, the deletion log, the root.</summary>
    Task<ChainInput> ReadChainAsync(string platform, DateOnly day, CancellationToken ct);

    /// <summary>Records and decisions of the platform (all platforms when null) with no ledger entry.</summary>
    Task<IReadOnlyList<UnchainedRow>> UnchainedAsync(string? platform, CancellationToken ct);

    /// <summary>Open chains of days before <paramref name="beforeDay"/>: the ones due for sealing.</summary>
    Task<IReadOnlyList<LedgerChain>> DueForSealAsync(DateOnly beforeDay, CancellationToken ct);

    /// <summary>Closes a chain and stores its signed root; idempotent (a sealed chain returns its stored root). Null when the chain does not exist.</summary>
    Task<SignedRoot?> SealAsync(string platform, DateOnly day, LedgerSigner signer, DateTimeOffset now, CancellationToken ct);

    /// <summary>Roots whose <c>LedgerDayClosed</c> has not gone out yet.</summary>
    Task<IReadOnlyList<SignedRoot>> UnpublishedRootsAsync(CancellationToken ct);

    Task MarkPublishedAsync(string platform, DateOnly day, DateTimeOffset at, CancellationToken ct);
}
