using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moderation.Contracts;
using Moderation.Core.Ledger;
using Moderation.Pipeline.Ledger;
using Moderation.Storage;
using Moderation.Storage.Ledger;

namespace Moderation.Integration.Tests.Ledger;

/// <summary>
/// The ledger on the embedded default: the retention purge keeps the chain verifiable (deletion log), and the worker's
/// sealing service closes each day once it is over plus the grace period, exactly once per day even with two workers,
/// announcing it as <see cref="LedgerDayClosed"/>.
/// </summary>
public sealed class SqliteLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(Day1);
    private readonly string _cs;

    public SqliteLedgerTests()
    {
        _cs = $"Data Source={_file};Pooling=false";
        DatabaseMigrator.ApplySqlite(_cs);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" })
            File.Delete(f);
    }

    [Fact]
    public async Task A_purge_keeps_the_chain_verifiable_and_what_remains_guarded()
    {
        using var store = new SqliteModerationStore(_cs, _time);
        var ledger = new SqliteLedger(_cs);
        await store.SaveAsync([LedgerPosts.Post("s", "old-1", Day1), LedgerPosts.Post("s", "old-2", Day1, severity: 3)], default);
        await store.SaveAsync([LedgerPosts.Post("s", "keep", Day1, retentionDays: 90)], default);

        var purged = await store.PurgeExpiredAsync(Day1.AddDays(61), default);

        Assert.Equal(1, purged); // old-1; old-2 was blocked (held), keep has 90 days
        var report = await LedgerVerification.VerifyAsync(ledger, "s", null, null, null, default);
        Assert.True(report.Intact, string.Join('\n', report.Findings));
        Assert.Equal(2, report.Chains.Single().Purged);
        await using var conn = new SqliteConnection(_cs);
        await conn.ExecuteAsync("UPDATE post_records SET source_port = 4243 WHERE content_id = 'keep'");
        var finding = Assert.Single((await LedgerVerification.VerifyAsync(ledger, "s", null, null, null, default)).Findings);
        Assert.Equal((LedgerFinding.Altered, "record s/keep v1"), (finding.Kind, finding.Subject));
    }

    [Fact]
    public async Task Two_sealing_services_close_each_day_once_after_the_grace_and_announce_it()
    {
        using var store = new SqliteModerationStore(_cs, _time);
        await store.SaveAsync([LedgerPosts.Post("a", "1", Day1), LedgerPosts.Post("b", "1", Day1)], default);
        var justAfterMidnight = new DateTimeOffset(2026, 9, 2, 0, 10, 0, TimeSpan.Zero);
        _time.SetUtcNow(justAfterMidnight);
        await store.SaveAsync([LedgerPosts.Post("a", "2", justAfterMidnight)], default);

        var services = new ServiceCollection().AddMassTransitTestHarness();
        await using var provider = services.BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        using var signer = LedgerSigner.Generate();
        using var key = signer.PublicKey();
        var options = Options.Create(new LedgerOptions { SealGrace = TimeSpan.FromMinutes(30) });
        var workers = Enumerable.Range(0, 2)
            .Select(_ => new LedgerSealService(new SqliteLedger(_cs), provider.GetRequiredService<IBus>(), options, _time, NullLogger<LedgerSealService>.Instance))
            .ToArray();

        // Day 1 ended at midnight; 29 minutes later it is still within the grace period.
        _time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 0, 29, 0, TimeSpan.Zero));
        var early = await Task.WhenAll(workers.Select(w => w.RunOnceAsync(signer, default)));
        Assert.Equal(new[] { 0, 0 }, early);

        _time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 0, 31, 0, TimeSpan.Zero));
        var sealedDays = await Task.WhenAll(workers.Select(w => w.RunOnceAsync(signer, default)));

        // Both saw the two day-1 chains due; sealing is idempotent, so each chain has one root, signed once.
        var ledger = new SqliteLedger(_cs);
        var chains = await ledger.ChainsAsync(null, null, null, default);
        Assert.Equal([("a", true), ("a", false), ("b", true)], chains.Select(c => (c.Platform, c.Closed)));
        var published = harness.Published.Select<LedgerDayClosed>().Select(m => m.Context).ToList();
        Assert.Equal(2, published.Select(c => c.MessageId).Distinct().Count());
        Assert.All(published, c => Assert.True(key.Verify(new SignedRoot(
            new DailyRoot(c.Message.Platform, c.Message.Day, c.Message.Entries, c.Message.LastHash), c.Message.Signature, c.Message.KeyId, c.Message.SignedAt))));
        Assert.True(sealedDays.Sum() >= 2);
        // A later pass announces nothing new.
        await workers[0].RunOnceAsync(signer, default);
        Assert.Equal(2, harness.Published.Select<LedgerDayClosed>().Select(m => m.Context.MessageId).Distinct().Count());
        Assert.Empty(await ledger.UnpublishedRootsAsync(default));
    }
}
