using System.Globalization;
using Moderation.Storage.Ledger;

namespace Moderation.Compliance.Evidence;

/// <summary>
/// The chain proof printed in evidence, read from the record ledger (<see cref="ILedgerReader.GetProofAsync"/>):
/// each entry of the record (record, decision, moderator decision) with its sequence, previous hash and entry hash,
/// and the signed root of each of their days. The document prints it; <c>records verify</c> checks it.
/// </summary>
public sealed class LedgerReaderProofSource(ILedgerReader reader) : ILedgerProofSource
{
    public async Task<LedgerProof?> ProofForAsync(string platform, string contentId, long version, CancellationToken ct)
    {
        var proof = await reader.GetProofAsync(platform, contentId, version, ct);
        if (proof is null || proof.Entries.Count == 0)
            return new LedgerProof("no ledger entry for this record (written before the ledger, or missing: run `records verify`)", []);
        var lines = new List<KeyValuePair<string, string>>();
        foreach (var e in proof.Entries)
        {
            lines.Add(new($"Entry {e.Kind} ({e.Platform}, {e.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} #{e.Sequence.ToString(CultureInfo.InvariantCulture)})",
                $"hash {e.EntryHash} · previous {e.PreviousHash}"));
        }
        foreach (var r in proof.Roots)
            lines.Add(new("Signed daily root", $"{r.Root.Platform} {r.Root.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {r.Root.Entries.ToString(CultureInfo.InvariantCulture)} entries, last {r.Root.LastHash} · key {r.KeyId} · signed {r.SignedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} · signature {r.Signature}"));
        var verdict = proof.Roots.Count == 0
            ? $"{proof.Entries.Count.ToString(CultureInfo.InvariantCulture)} ledger entr(y/ies); the day is not sealed yet (no signed root)"
            : $"{proof.Entries.Count.ToString(CultureInfo.InvariantCulture)} ledger entr(y/ies) in chains with signed daily roots";
        return new LedgerProof(verdict, lines);
    }
}
