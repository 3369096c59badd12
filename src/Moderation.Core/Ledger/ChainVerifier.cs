using System.Globalization;

namespace Moderation.Core.Ledger;

/// <summary>
/// One ledger entry as read back for verification, with the canonical bytes rebuilt from the row it covers
/// (<see cref="Content"/> null: that row is gone) and anything else wrong with the row (<see cref="ContentProblem"/>,
/// e.g. an evidence snapshot that no longer matches its own hash).
/// </summary>
public sealed record ChainEntry(long Sequence, string Kind, string Subject, string PreviousHash, string EntryHash, byte[]? Content, string? ContentProblem = null);

/// <summary>One chain (platform, UTC day) to verify: its entries in sequence order, the deletion log's entries, and its signed root if sealed.</summary>
public sealed record ChainInput(string Platform, DateOnly Day, IReadOnlyList<ChainEntry> Entries, IReadOnlyDictionary<long, string> Purged, SignedRoot? Root, bool Closed);

/// <summary>What verification found wrong, worded for the compliance officer who reads it.</summary>
public sealed record LedgerFinding(string Kind, string Platform, DateOnly Day, long? Sequence, string Subject, string Detail)
{
    public const string Altered = "ALTERED";
    public const string Missing = "MISSING";
    public const string Inserted = "INSERTED";
    public const string Reordered = "REORDERED";
    public const string Broken = "BROKEN";
    public const string ForgedRoot = "FORGED-ROOT";
    public const string RootMismatch = "ROOT-MISMATCH";

    public override string ToString() => Day == default
        ? $"{Kind} {Subject}: {Detail}"
        : string.Create(CultureInfo.InvariantCulture, $"{Kind} {Subject} (platform {Platform}, day {Day:yyyy-MM-dd}{(Sequence is { } s ? $", seq {s}" : "")}): {Detail}");
}

/// <summary>The result of walking one chain.</summary>
public sealed record ChainReport(string Platform, DateOnly Day, long Entries, long Purged, bool RootChecked, IReadOnlyList<LedgerFinding> Findings);

/// <summary>
/// Re-walks a chain: every entry must follow the one before (its previous hash is that entry's hash), its hash
/// must be what the row it covers hashes to now, a missing row must be listed in the deletion log with the same
/// entry hash, and a sealed day's signed root must verify with the public key and name the chain's length and
/// last hash. Pure: the stores read, this decides.
/// </summary>
public static class ChainVerifier
{
    public static ChainReport Verify(ChainInput chain, LedgerVerifierKey? publicKey)
    {
        var findings = new List<LedgerFinding>();
        void Add(string kind, long? seq, string subject, string detail) => findings.Add(new(kind, chain.Platform, chain.Day, seq, subject, detail));

        var running = LedgerHash.Genesis;
        var expected = 1L;
        var purged = 0L;
        var entries = chain.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Sequence != expected)
            {
                Add(LedgerFinding.Missing, expected, "ledger entries",
                    string.Create(CultureInfo.InvariantCulture, $"sequence {expected}..{e.Sequence - 1} is not in the ledger (entries deleted)"));
            }

            if (e.PreviousHash != running && i + 1 < entries.Count
                && entries[i + 1].PreviousHash == running && e.PreviousHash == entries[i + 1].EntryHash)
            {
                // Two neighbours swapped places: each names the other as its predecessor.
                var next = entries[i + 1];
                Add(LedgerFinding.Reordered, e.Sequence, $"{e.Subject} and {next.Subject}",
                    string.Create(CultureInfo.InvariantCulture, $"entries {e.Sequence} and {next.Sequence} are in each other's place"));
                purged += CheckContent(next, e.Sequence, Add, chain.Purged);
                purged += CheckContent(e, next.Sequence, Add, chain.Purged);
                running = e.EntryHash;
                expected = next.Sequence + 1;
                i++;
                continue;
            }
            if (e.PreviousHash != running)
                Add(LedgerFinding.Broken, e.Sequence, e.Subject, "does not follow the entry before it (its previous hash differs): an entry was inserted, removed or rewritten before it");

            purged += CheckContent(e, e.Sequence, Add, chain.Purged);
            running = e.EntryHash;
            expected = e.Sequence + 1;
        }

        var count = expected - 1;
        var rootChecked = false;
        if (chain.Root is { } root)
        {
            if (publicKey is not null)
            {
                rootChecked = true;
                if (root.Root.Platform != chain.Platform || root.Root.Day != chain.Day || !publicKey.Verify(root))
                    Add(LedgerFinding.ForgedRoot, null, "daily root", $"the signature does not verify with public key {publicKey.KeyId}: the root was forged or altered");
            }
            if (root.Root.Entries != count || root.Root.LastHash != running)
                Add(LedgerFinding.RootMismatch, null, "daily root", string.Create(CultureInfo.InvariantCulture,
                    $"the signed root says {root.Root.Entries} entries ending {root.Root.LastHash[..16]}…, the chain now has {count} ending {running[..16]}…"));
        }
        else if (chain.Closed)
        {
            Add(LedgerFinding.RootMismatch, null, "daily root", "the day was closed but its signed root is gone");
        }
        return new ChainReport(chain.Platform, chain.Day, count, purged, rootChecked, findings);
    }

    private static int CheckContent(ChainEntry e, long sequence, Action<string, long?, string, string> add, IReadOnlyDictionary<long, string> purgedLog)
    {
        if (e.Content is null)
        {
            if (purgedLog.TryGetValue(sequence, out var logged) && logged == e.EntryHash)
                return 1;
            add(LedgerFinding.Missing, sequence, e.Subject, "the row is gone and the deletion log does not list it");
            return 0;
        }
        if (LedgerHash.Entry(e.PreviousHash, sequence, e.Content) != e.EntryHash)
            add(LedgerFinding.Altered, sequence, e.Subject, "its content no longer matches its ledger entry");
        else if (e.ContentProblem is { } problem)
            add(LedgerFinding.Altered, sequence, e.Subject, problem);
        return 0;
    }
}
