using Moderation.Core.Ledger;

namespace Moderation.Storage.Ledger;

/// <summary>What `records verify` found over a range: each chain's report and the rows no chain covers.</summary>
public sealed record LedgerVerificationReport(IReadOnlyList<ChainReport> Chains, IReadOnlyList<LedgerFinding> Inserted)
{
    public IEnumerable<LedgerFinding> Findings => Chains.SelectMany(c => c.Findings).Concat(Inserted);

    public bool Intact => !Findings.Any();
}

/// <summary>Walks every chain in a range with <see cref="ChainVerifier"/> and looks for rows outside any chain.</summary>
public static class LedgerVerification
{
    public static async Task<LedgerVerificationReport> VerifyAsync(ILedgerStore store, string? platform, DateOnly? from, DateOnly? to,
        LedgerVerifierKey? publicKey, CancellationToken ct)
    {
        var reports = new List<ChainReport>();
        foreach (var chain in await store.ChainsAsync(platform, from, to, ct))
            reports.Add(ChainVerifier.Verify(await store.ReadChainAsync(chain.Platform, chain.Day, ct), publicKey));
        // A row no entry covers was inserted behind the ledger's back (whatever its day, so no range here).
        var inserted = (await store.UnchainedAsync(platform, ct))
            .Select(u => new LedgerFinding(LedgerFinding.Inserted, platform ?? "*", default, null, u.Subject, "it is stored but no ledger entry covers it"))
            .ToList();
        return new LedgerVerificationReport(reports, inserted);
    }
}
