using Dapper;
using Microsoft.Extensions.Time.Testing;
using Moderation.Core.Ledger;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Storage;
using Moderation.Storage.Ledger;
using Npgsql;

namespace Moderation.Integration.Tests.Ledger;

/// <summary>
/// Retention by day on real PostgreSQL, with fake time: random posts over a hundred days (random retention of 60–90 days,
/// some blocked and so held, some held later by hand), purged at random moments over the following months. After every
/// purge: nothing younger than its floor (received + 60 days, and its own retention date) and nothing held is gone,
/// day partitions were really dropped, and every chain (sealed with a signed root) still verifies across the purge,
/// while an edit of what remains is still found.
/// </summary>
public sealed class RetentionPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Planted(string ContentId, DateTimeOffset ReceivedAt, DateTimeOffset RetainUntil, bool Held);

    [Theory]
    [InlineData(20261201)]
    [InlineData(7)]
    public async Task A_purge_removes_only_expired_unheld_records_and_the_chain_verifies_across_it(int seed)
    {
        var random = new Random(seed);
        await using var db = await TestServices.CreateDatabaseAsync("retention");
        DatabaseMigrator.ApplyPostgres(db.ConnectionString);
        await using var source = NpgsqlDataSource.Create(db.ConnectionString);
        var time = new FakeTimeProvider(Start);
        var store = new PostgresModerationStore(source, time);
        var ledger = new PostgresLedger(source);
        using var signer = LedgerSigner.Generate();
        using var publicKey = signer.PublicKey();
        const string platform = "retention";
        await store.EnsurePartitionsAsync(DateOnly.FromDateTime(Start.UtcDateTime), 110, default);

        // Posts received over 100 days, in time order (the ledger appends to each day in turn).
        var planted = new List<Planted>();
        var arrivals = Enumerable.Range(0, 160).Select(_ => Start.AddMinutes(random.Next(0, 100 * 24 * 60))).Order().ToList();
        for (var i = 0; i < arrivals.Count; i++)
        {
            time.SetUtcNow(arrivals[i]);
            var blocked = random.NextDouble() < 0.15;
            var post = LedgerPosts.Post(platform, $"p-{i:D3}", arrivals[i], severity: blocked ? 3 : 0, retentionDays: random.Next(60, 91));
            await store.SaveAsync([post], default);
            planted.Add(new Planted(post.Record.ContentId, post.Record.ReceivedAt, post.Record.RetainUntil, blocked));
        }
        // A few more held by hand afterwards (an incident, a lawful request), wherever they sit.
        foreach (var i in Enumerable.Range(0, 12).Select(_ => random.Next(planted.Count)).Distinct())
        {
            await store.PlaceLegalHoldAsync(new RecordQuery(platform, ContentId: planted[i].ContentId), default);
            planted[i] = planted[i] with { Held = true };
        }
        time.SetUtcNow(Start.AddDays(101));
        foreach (var chain in await ledger.ChainsAsync(platform, null, null, default))
            await ledger.SealAsync(chain.Platform, chain.Day, signer, time.GetUtcNow(), default);

        var purgedAtAll = 0;
        var now = Start.AddDays(101);
        for (var round = 0; round < 6; round++)
        {
            now = now.AddHours(random.Next(1, 24 * 20));
            time.SetUtcNow(now);
            purgedAtAll += await store.PurgeExpiredAsync(now, default);

            await using var conn = await source.OpenConnectionAsync();
            var present = (await conn.QueryAsync<string>("SELECT content_id FROM post_records WHERE platform = @P", new { P = platform })).ToHashSet();
            foreach (var p in planted.Where(p => !present.Contains(p.ContentId)))
            {
                Assert.False(p.Held, $"seed {seed}: {p.ContentId} was held and is gone at {now:O}");
                Assert.True(p.RetainUntil < now, $"seed {seed}: {p.ContentId} retained until {p.RetainUntil:O} is gone at {now:O}");
                Assert.True(p.ReceivedAt.AddDays(60) < now, $"seed {seed}: {p.ContentId} received {p.ReceivedAt:O} is gone before its 60-day floor");
            }
            // And a whole expired day does go (the purge is not simply doing nothing): every unheld record whose day ended
            // with all of that day's unheld records expired is gone.
            foreach (var day in planted.Where(p => !p.Held).GroupBy(p => DateOnly.FromDateTime(p.ReceivedAt.UtcDateTime)))
            {
                if (day.All(p => p.RetainUntil < now) && day.Key < DateOnly.FromDateTime(now.UtcDateTime))
                    Assert.All(day, p => Assert.DoesNotContain(p.ContentId, present));
            }

            var report = await LedgerVerification.VerifyAsync(ledger, platform, null, null, publicKey, default);
            Assert.True(report.Intact, $"seed {seed}, round {round}:\n" + string.Join('\n', report.Findings));
        }

        Assert.True(purgedAtAll > 0, $"seed {seed}: nothing was ever purged");
        await using (var conn = await source.OpenConnectionAsync())
        {
            var methods = (await conn.QueryAsync<string>("SELECT method FROM ledger_purges")).ToList();
            Assert.Contains(methods, m => !m.StartsWith("0 day", StringComparison.Ordinal));
            // What remains is still guarded: one edited byte is found.
            var survivor = await conn.QueryFirstAsync<string>("SELECT content_id FROM post_records WHERE platform = @P ORDER BY content_id", new { P = platform });
            await conn.ExecuteAsync("UPDATE post_records SET body = overlay(body placing 'X' from 1 for 1) WHERE content_id = @C", new { C = survivor });
            var tampered = await LedgerVerification.VerifyAsync(ledger, platform, null, null, publicKey, default);
            var finding = Assert.Single(tampered.Findings);
            Assert.Equal((LedgerFinding.Altered, $"record {platform}/{survivor} v1"), (finding.Kind, finding.Subject));
        }
    }
}
