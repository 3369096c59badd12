using System.Text;
using Moderation.Core.Ledger;

namespace Moderation.Core.Tests.Ledger;

/// <summary>The verifier's decisions on hand-built chains: pure, no database.</summary>
public sealed class ChainVerifierTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private readonly LedgerSigner _signer = LedgerSigner.Generate();
    private readonly LedgerVerifierKey _key;

    public ChainVerifierTests() => _key = _signer.PublicKey();

    public void Dispose()
    {
        _signer.Dispose();
        _key.Dispose();
    }

    private static byte[] Row(int i) => LedgerCanonical.Record("p", $"c-{i}", 1, "forum", "a", null, $"body {i}", [], new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), "192.0.2.1", null, "sha");

    private static List<ChainEntry> Chain(int n)
    {
        var entries = new List<ChainEntry>();
        var previous = LedgerHash.Genesis;
        for (var i = 1; i <= n; i++)
        {
            var hash = LedgerHash.Entry(previous, i, Row(i));
            entries.Add(new ChainEntry(i, "record", $"record p/c-{i} v1", previous, hash, Row(i)));
            previous = hash;
        }
        return entries;
    }

    private ChainInput Sealed(List<ChainEntry> entries, Dictionary<long, string>? purged = null) =>
        new("p", Day, entries, purged ?? [], _signer.Sign(new DailyRoot("p", Day, entries.Count, entries[^1].EntryHash), DateTimeOffset.UnixEpoch), true);

    [Fact]
    public void An_intact_sealed_chain_has_no_findings()
    {
        var report = ChainVerifier.Verify(Sealed(Chain(5)), _key);

        Assert.Empty(report.Findings);
        Assert.True(report.RootChecked);
        Assert.Equal(5, report.Entries);
    }

    [Fact]
    public void A_changed_row_is_named_at_its_sequence()
    {
        var entries = Chain(5);
        entries[2] = entries[2] with { Content = Encoding.UTF8.GetBytes("something else") };

        var finding = Assert.Single(ChainVerifier.Verify(Sealed(Chain(5)) with { Entries = entries }, _key).Findings);

        Assert.Equal((LedgerFinding.Altered, 3L, "record p/c-3 v1"), (finding.Kind, finding.Sequence!.Value, finding.Subject));
    }

    [Fact]
    public void A_missing_row_passes_only_when_the_deletion_log_lists_its_entry_hash()
    {
        var entries = Chain(5);
        var purged = entries[1] with { Content = null };
        entries[1] = purged;

        Assert.Empty(ChainVerifier.Verify(Sealed(entries, new() { [2] = purged.EntryHash }), _key).Findings);
        var finding = Assert.Single(ChainVerifier.Verify(Sealed(entries), _key).Findings);
        Assert.Equal((LedgerFinding.Missing, 2L), (finding.Kind, finding.Sequence!.Value));
        Assert.Equal(LedgerFinding.Missing, Assert.Single(ChainVerifier.Verify(Sealed(entries, new() { [2] = new string('1', 64) }), _key).Findings).Kind);
    }

    [Fact]
    public void A_removed_ledger_entry_breaks_the_chain_where_it_was()
    {
        var entries = Chain(5);
        var root = Sealed(entries);
        entries.RemoveAt(2);

        var findings = ChainVerifier.Verify(root with { Entries = entries }, _key).Findings;

        Assert.Equal((LedgerFinding.Missing, 3L), (findings[0].Kind, findings[0].Sequence!.Value));
        Assert.Contains(findings, f => f.Kind == LedgerFinding.Broken && f.Sequence == 4);
    }

    [Fact]
    public void Two_swapped_neighbours_are_reported_as_a_reordered_pair()
    {
        var entries = Chain(5);
        (entries[1], entries[2]) = (entries[2] with { Sequence = 2 }, entries[1] with { Sequence = 3 });

        var finding = Assert.Single(ChainVerifier.Verify(Sealed(Chain(5)) with { Entries = entries }, _key).Findings);

        Assert.Equal((LedgerFinding.Reordered, 2L), (finding.Kind, finding.Sequence!.Value));
        Assert.Contains("c-2", finding.Subject, StringComparison.Ordinal);
        Assert.Contains("c-3", finding.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_signed_by_another_key_or_not_matching_the_chain_is_found()
    {
        using var forger = LedgerSigner.Generate();
        var entries = Chain(3);
        var forged = forger.Sign(new DailyRoot("p", Day, 3, entries[^1].EntryHash), DateTimeOffset.UnixEpoch);
        var appended = Chain(4);

        Assert.Equal(LedgerFinding.ForgedRoot, Assert.Single(ChainVerifier.Verify(Sealed(entries) with { Root = forged }, _key).Findings).Kind);
        Assert.Equal(LedgerFinding.RootMismatch, Assert.Single(ChainVerifier.Verify(Sealed(entries) with { Entries = appended }, _key).Findings).Kind);
        Assert.Equal(LedgerFinding.RootMismatch, Assert.Single(ChainVerifier.Verify(Sealed(entries) with { Root = null }, _key).Findings).Kind);
    }

    [Fact]
    public void The_canonical_form_tells_null_from_empty_and_keeps_field_boundaries()
    {
        var at = DateTimeOffset.UnixEpoch;
        byte[] R(string? title, string body) => LedgerCanonical.Record("p", "c", 1, "forum", "a", title, body, [], at, "192.0.2.1", null, "s");

        Assert.NotEqual(R(null, "x"), R("", "x"));
        Assert.NotEqual(R("ab", "c"), R("a", "bc"));
        // An IPv6 address spelled two ways is one address.
        Assert.Equal(LedgerCanonical.Ip("2001:DB8:0:0::7"), LedgerCanonical.Ip("2001:db8::7"));
        // Microseconds: what PostgreSQL keeps; a tick below that does not change the hash.
        Assert.Equal(LedgerCanonical.Microseconds(at.AddTicks(19)), LedgerCanonical.Microseconds(at.AddTicks(10)));
    }

    [Fact]
    public void The_entry_hash_matches_an_independent_implementation_of_the_documented_format()
    {
        // Values computed by the Python reference in docs/compliance.md ("Checking it in another language"), not by this code.
        var canonical = LedgerCanonical.Record("forum-demo", "p-1", 1, "forum", "u-1", null, "你好", ["https://example.org/"],
            new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), "203.0.113.7", 4242, "abc");

        var first = LedgerHash.Entry(LedgerHash.Genesis, 1, canonical);

        Assert.Equal("6a8eba4c9f53e90e47ca63ab75fe2307db656765af78971335a5f37930312c8c", first);
        Assert.Equal("e1e690df4fe4c3e7d265afe71b91f8cd5f20f5897d85c824df9addd380c1663a", LedgerHash.Entry(first, 2, canonical));
    }
}
