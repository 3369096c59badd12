using Dapper;
using Microsoft.Extensions.Time.Testing;
using Moderation.Core.Ledger;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Storage;
using Moderation.Storage.Ledger;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Integration.Tests.Ledger;

/// <summary>
/// `records verify` on real PostgreSQL: an intact ledger verifies, and each kind of tampering is found and named: an edited
/// content byte, an edited IP, a deleted record, an inserted record, a reordered pair, a forged daily root. Each test
/// works on its own platform, so its chains are its own.
/// </summary>
public sealed class PostgresLedgerTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Day1);
    private readonly LedgerSigner _signer = LedgerSigner.Generate();
    private readonly LedgerVerifierKey _publicKey;
    private TemporaryDatabase _db = null!;
    private NpgsqlDataSource _source = null!;

    public PostgresLedgerTests() => _publicKey = _signer.PublicKey();

    public async Task InitializeAsync()
    {
        _db = await TestServices.CreateDatabaseAsync("ledger");
        DatabaseMigrator.ApplyPostgres(_db.ConnectionString);
        _source = NpgsqlDataSource.Create(_db.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose()
    {
        _signer.Dispose();
        _publicKey.Dispose();
    }

    private PostgresModerationStore Store => new(_source, _time);

    private PostgresLedger Ledger => new(_source);

    private static string NewPlatform() => "ledger-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Five posts in two batches on one day, and the day sealed.</summary>
    private async Task<string> SealedDayAsync()
    {
        var platform = NewPlatform();
        await Store.SaveAsync([LedgerPosts.Post(platform, "c-1", Day1), LedgerPosts.Post(platform, "c-2", Day1, severity: 3)], default);
        await Store.SaveAsync([LedgerPosts.Post(platform, "c-3", Day1, severity: 1), LedgerPosts.Post(platform, "c-4", Day1), LedgerPosts.Post(platform, "c-5", Day1)], default);
        Assert.NotNull(await Ledger.SealAsync(platform, DateOnly.FromDateTime(Day1.UtcDateTime), _signer, Day1.AddDays(1), default));
        return platform;
    }

    private Task<LedgerVerificationReport> VerifyAsync(string platform) => LedgerVerification.VerifyAsync(Ledger, platform, null, null, _publicKey, default);

    /// <summary>As the database owner would: the append-only triggers are the application's guard rail, not the tamper evidence.</summary>
    private async Task TamperAsync(string sql, object? args = null, bool bypassTriggers = true)
    {
        await using var conn = await _source.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (bypassTriggers)
            await conn.ExecuteAsync("SET LOCAL session_replication_role = replica", transaction: tx);
        await conn.ExecuteAsync(sql, args, tx);
        await tx.CommitAsync();
    }

    private static LedgerFinding First(LedgerVerificationReport report) => Assert.IsType<LedgerFinding>(report.Findings.FirstOrDefault(), exactMatch: false);

    [Fact]
    public async Task An_untouched_sealed_day_verifies_with_the_public_key()
    {
        var platform = await SealedDayAsync();

        var report = await VerifyAsync(platform);

        Assert.True(report.Intact, string.Join('\n', report.Findings));
        var chain = Assert.Single(report.Chains);
        Assert.Equal((10L, true), (chain.Entries, chain.RootChecked));
    }

    [Fact]
    public async Task An_edited_content_byte_is_found_and_the_record_named()
    {
        var platform = await SealedDayAsync();
        await TamperAsync("UPDATE post_records SET body = overlay(body placing 'X' from 2 for 1) WHERE platform = @P AND content_id = 'c-3'", new { P = platform });

        var finding = First(await VerifyAsync(platform));

        Assert.Equal(LedgerFinding.Altered, finding.Kind);
        Assert.Equal($"record {platform}/c-3 v1", finding.Subject);
        Assert.Equal(5, finding.Sequence);
    }

    [Fact]
    public async Task An_edited_source_ip_is_found()
    {
        var platform = await SealedDayAsync();
        await TamperAsync("UPDATE post_records SET source_ip = '2001:db8::8' WHERE platform = @P AND content_id = 'c-4'", new { P = platform });

        var report = await VerifyAsync(platform);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((LedgerFinding.Altered, $"record {platform}/c-4 v1"), (finding.Kind, finding.Subject));
    }

    [Fact]
    public async Task A_deleted_record_is_found_missing()
    {
        var platform = await SealedDayAsync();
        // A plain DELETE, as the application's own credentials allow (its decision stays: it hangs off the key table).
        await TamperAsync("DELETE FROM post_records WHERE platform = @P AND content_id = 'c-2'", new { P = platform }, bypassTriggers: false);

        var report = await VerifyAsync(platform);

        var finding = Assert.Single(report.Findings);
        Assert.Equal((LedgerFinding.Missing, $"record {platform}/c-2 v1", 3L), (finding.Kind, finding.Subject, finding.Sequence!.Value));
    }

    [Fact]
    public async Task An_inserted_record_is_found()
    {
        var platform = await SealedDayAsync();
        await TamperAsync("""
            INSERT INTO post_records (platform, content_id, version, service_type, author_id, title, body, urls, published_at, source_ip,
                source_port, received_at, content_sha256, retain_until, record_day)
            SELECT platform, 'planted', version, service_type, author_id, title, '伪造的内容', urls, published_at, source_ip,
                source_port, received_at, content_sha256, retain_until, record_day
            FROM post_records WHERE platform = @P AND content_id = 'c-1'
            """, new { P = platform });

        var finding = Assert.Single((await VerifyAsync(platform)).Findings);

        Assert.Equal((LedgerFinding.Inserted, $"record {platform}/planted v1"), (finding.Kind, finding.Subject));
    }

    [Fact]
    public async Task A_reordered_pair_of_entries_is_found()
    {
        var platform = await SealedDayAsync();
        // Records c-3 (seq 5) and its decision (seq 6) trade places.
        await TamperAsync("""
            UPDATE ledger_entries SET seq = -1 WHERE platform = @P AND seq = 5;
            UPDATE ledger_entries SET seq = 5 WHERE platform = @P AND seq = 6;
            UPDATE ledger_entries SET seq = 6 WHERE platform = @P AND seq = -1;
            """, new { P = platform });

        var finding = First(await VerifyAsync(platform));

        Assert.Equal(LedgerFinding.Reordered, finding.Kind);
        Assert.Contains($"{platform}/c-3", finding.Subject, StringComparison.Ordinal);
        Assert.Equal(5, finding.Sequence);
    }

    [Fact]
    public async Task A_forged_daily_root_is_found()
    {
        var platform = await SealedDayAsync();
        // Someone rewrites a body and recomputes the whole chain to match: every entry is consistent again ...
        await TamperAsync("UPDATE post_records SET body = '改写后的内容' WHERE platform = @P AND content_id = 'c-1'", new { P = platform });
        await RechainAsync(platform);
        var rechained = await VerifyAsync(platform);
        Assert.Equal(LedgerFinding.RootMismatch, Assert.Single(rechained.Findings).Kind);
        // ... and then signs a new root with a key of their own: the operator's public key refuses it.
        using var forger = LedgerSigner.Generate();
        var chain = await Ledger.ReadChainAsync(platform, DateOnly.FromDateTime(Day1.UtcDateTime), default);
        var forged = forger.Sign(new DailyRoot(platform, chain.Day, chain.Entries.Count, chain.Entries[^1].EntryHash), Day1.AddDays(1));
        await TamperAsync("UPDATE ledger_roots SET last_hash = @Last, signature = @Sig WHERE platform = @P",
            new { P = platform, Last = forged.Root.LastHash, Sig = forged.Signature });

        var finding = Assert.Single((await VerifyAsync(platform)).Findings);

        Assert.Equal((LedgerFinding.ForgedRoot, new DateOnly(2026, 11, 20)), (finding.Kind, finding.Day));
    }

    /// <summary>Recomputes every entry hash of the platform's chain from the rows as they now are (what a forger with write access would do).</summary>
    private async Task RechainAsync(string platform)
    {
        var chain = await Ledger.ReadChainAsync(platform, DateOnly.FromDateTime(Day1.UtcDateTime), default);
        var previous = LedgerHash.Genesis;
        foreach (var e in chain.Entries)
        {
            var hash = LedgerHash.Entry(previous, e.Sequence, e.Content!);
            await TamperAsync("UPDATE ledger_entries SET prev_hash = @Prev, entry_hash = @Hash WHERE platform = @P AND seq = @Seq",
                new { P = platform, Prev = previous, Hash = hash, Seq = e.Sequence });
            previous = hash;
        }
    }

    [Fact]
    public async Task Two_workers_appending_to_one_chain_keep_it_one_line()
    {
        var platform = NewPlatform();
        await using var other = NpgsqlDataSource.Create(_db.ConnectionString);
        var stores = new[] { new PostgresModerationStore(_source, _time), new PostgresModerationStore(other, _time) };
        // Two stores on two connection pools, 20 batches each, all at once: both lock the one chain head.
        await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
        {
            for (var b = 0; b < 20; b++)
                await store.SaveAsync(Enumerable.Range(0, 5).Select(i => LedgerPosts.Post(platform, $"w{w}-b{b}-{i}", Day1)).ToList(), default);
        })));

        var report = await VerifyAsync(platform);

        Assert.True(report.Intact, string.Join('\n', report.Findings));
        Assert.Equal(2 * 20 * 5 * 2, Assert.Single(report.Chains).Entries);
    }

    [Fact]
    public async Task A_moderators_decision_is_chained_and_an_edit_of_it_is_found()
    {
        var platform = NewPlatform();
        var held = LedgerPosts.Post(platform, "held-1", Day1, severity: 1);
        await Store.SaveAsync([held], default);
        var commands = new PostgresReviewCommands(_source, _time);
        var actor = new ReviewActor("mod-a", ["moderator"], "password", null, null, false);
        Assert.Equal(Outcome.Done, (await commands.ClaimAsync(actor, held.Decision.DecisionId, TimeSpan.FromMinutes(10), default)).Outcome);
        Assert.Equal(Outcome.Done, (await commands.DecideAsync(actor, held.Decision.DecisionId, new DecideCommand("confirm", "drug sale", null, null), false, TimeSpan.FromHours(24), default)).Outcome);

        var report = await VerifyAsync(platform);
        Assert.True(report.Intact, string.Join('\n', report.Findings));
        Assert.Equal(3, Assert.Single(report.Chains).Entries);

        await TamperAsync("UPDATE quarantine SET decided_by = 'someone-else' WHERE decision_id = @Id", new { Id = held.Decision.DecisionId });
        var finding = Assert.Single((await VerifyAsync(platform)).Findings);
        Assert.Equal((LedgerFinding.Altered, 3L), (finding.Kind, finding.Sequence!.Value));
        Assert.StartsWith("moderator decision on", finding.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sealed_day_takes_no_more_entries()
    {
        var platform = await SealedDayAsync();

        await Assert.ThrowsAsync<LedgerChainClosedException>(() => Store.SaveAsync([LedgerPosts.Post(platform, "late", Day1)], default));

        Assert.True((await VerifyAsync(platform)).Intact);
    }

    [Fact]
    public async Task Sealing_twice_keeps_the_first_root()
    {
        var platform = await SealedDayAsync();
        var day = DateOnly.FromDateTime(Day1.UtcDateTime);
        var first = (await Ledger.ChainsAsync(platform, day, day, default)).Single();

        var again = await Ledger.SealAsync(platform, day, _signer, Day1.AddDays(3), default);

        Assert.Equal(Day1.AddDays(1), again!.SignedAt);
        Assert.Equal(first.Entries, again.Root.Entries);
        Assert.True(_publicKey.Verify(again));
    }

    [Fact]
    public async Task A_proof_names_the_entries_of_a_record_and_its_days_signed_root()
    {
        var platform = await SealedDayAsync();

        var proof = await Ledger.GetProofAsync(platform, "c-2", 1, default);

        Assert.NotNull(proof);
        Assert.Equal([(3L, "record"), (4L, "decision")], proof.Entries.Select(e => (e.Sequence, e.Kind)));
        var root = Assert.Single(proof.Roots);
        Assert.True(_publicKey.Verify(root));
        var tail = await Ledger.ChainTailAsync(platform, proof.Entries[0].Day, 3, default);
        Assert.Equal(root.Root.LastHash, tail[^1].EntryHash);
    }
}
