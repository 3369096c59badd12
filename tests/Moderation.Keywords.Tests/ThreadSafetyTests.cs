using Moderation.Keywords.Hosting;

namespace Moderation.Keywords.Tests;

public sealed class ThreadSafetyTests
{
    [Fact]
    public void Concurrent_scans_during_reloads_see_one_consistent_lexicon_each()
    {
        using var dir = new TempLexiconDir();
        const string a = "冰毒\t9\tdrugs\t3\n";
        const string b = "海洛因\t9\tdrugs\t3\n";
        dir.Write("a.tsv", a);
        using var provider = new KeywordEngineProvider([dir.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        var classifier = new KeywordClassifier(provider, maxHitsPerTerm: 1000);
        var versionA = provider.Current.Version;
        var text = string.Concat(Enumerable.Repeat("有冰\u200B毒和海 洛 因，", 50));
        using var stop = new CancellationTokenSource();

        var reloader = Task.Run(() =>
        {
            for (var i = 0; i < 30; i++)
            {
                dir.Write("a.tsv", i % 2 == 0 ? b : a);
                provider.TryReload();
            }

            stop.Cancel();
        });

        var failures = 0;
        Parallel.For(0, 4, _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = classifier.Classify(text);
                var expected = result.Version == versionA ? "冰毒" : "海洛因";
                if (result.Hits.Count != 50 || result.Hits.Any(h => h.Term != expected) || result.Scores.Count != 1)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        reloader.Wait();

        Assert.Equal(0, failures);
    }
}
