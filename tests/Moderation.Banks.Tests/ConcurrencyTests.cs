using Moderation.Banks;

namespace Moderation.Banks.Tests;

/// <summary>
/// Matching goes on while a writer adds and removes entries (and compactions run in the background):
/// every match must agree with the snapshot it read, and no change may be lost.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Matching_while_entries_are_added_and_removed_always_agrees_with_the_snapshot_read()
    {
        // A tiny compaction threshold, so several background compactions run during the test.
        var options = new BankIndexOptions { MinCompactionDelta = 3 };
        var universe = Enumerable.Range(0, Texts.Pool.Length).Select(i => Texts.Entry(i)).ToArray();
        var probes = universe.Select(e => Texts.Variant(e.Text)).ToArray();
        var provider = new BankIndexProvider(BankIndex.Build(universe.Take(4), options));
        var compactions = 0;
        provider.Changed += (_, index) => { if (index.DeltaCount == 0) Interlocked.Increment(ref compactions); };

        using var done = new CancellationTokenSource();
        var checks = new long[2];
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            while (!done.IsCancellationRequested)
            {
                var snapshot = provider.Current;
                var i = random.Next(universe.Length);
                var expected = snapshot.Contains(universe[i].Key);
                var matched = snapshot.Match(probes[i]).Any(m => m.Entry.Key == universe[i].Key);
                Assert.Equal(expected, matched);
                checks[r]++;
            }
        })).ToArray();

        var writer = new Random(42);
        var present = new HashSet<int>(Enumerable.Range(0, 4));
        for (var step = 0; step < 400; step++)
        {
            var i = writer.Next(universe.Length);
            if (present.Remove(i))
            {
                provider.Remove(universe[i].Key);
            }
            else
            {
                present.Add(i);
                provider.Add(universe[i]);
            }

            // Wait until each reader has checked at least once more before the next change, so reads
            // and writes interleave (a counted signal, not a sleep).
            var seen = checks.ToArray();
            while (checks.Where((c, r) => c <= seen[r]).Any() && readers.All(t => !t.IsCompleted))
            {
                Thread.Yield();
            }
        }

        await provider.Compaction;
        await done.CancelAsync();
        await Task.WhenAll(readers);

        var final = provider.Current;
        Assert.Equal(present.Order(), final.Entries.Select(e => (int)e.EntryId).Order());
        Assert.Equal(BankIndex.Build(present.Select(i => universe[i]), options).Version, final.Version);
        Assert.True(compactions > 0, "the test should have exercised background compaction");
    }

    [Fact]
    public void A_replace_during_a_compaction_wins_over_the_compaction()
    {
        var options = new BankIndexOptions { MinCompactionDelta = 1 };
        var provider = new BankIndexProvider(BankIndex.Build([Texts.Entry(0)], options));
        provider.Add(Texts.Entry(1));
        provider.Add(Texts.Entry(2)); // delta 2 > 1: a compaction starts
        var replacement = BankIndex.Build([Texts.Entry(7)], options);
        provider.Replace(replacement);
        provider.Compaction.GetAwaiter().GetResult();

        Assert.Same(replacement, provider.Current);
    }

    [Fact]
    public void An_incrementally_changed_index_matches_exactly_like_a_fresh_build_of_its_entries()
    {
        var options = new BankIndexOptions { MinCompactionDelta = 1_000_000 };
        var random = new Random(3);
        var universe = Enumerable.Range(0, Texts.Pool.Length).Select(i => Texts.Entry(i, threshold: 0.4)).ToArray();
        var index = BankIndex.Build(universe.Take(6), options);
        for (var step = 0; step < 60; step++)
        {
            var e = universe[random.Next(universe.Length)];
            index = index.Contains(e.Key) ? index.Remove(e.Key) : index.Add(e);
            var fresh = BankIndex.Build(index.Entries, options);
            Assert.Equal(fresh.Version, index.Version);
            foreach (var probe in Texts.Pool.Select(Texts.Variant))
            {
                Assert.Equal(fresh.Match(probe), index.Match(probe));
            }
        }
    }
}
