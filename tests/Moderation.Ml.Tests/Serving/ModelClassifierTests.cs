using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Moderation.Core.Classification;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Tests.Serving;

public sealed class ModelClassifierTests
{
    private static ModelClassifier Classifier(string dir, bool useEngine = false) =>
        new(new ModelOptions { ModelDirectory = dir, ReloadIntervalSeconds = 0, MaxPooledEngines = 4, UseMlNetEngine = useEngine }, new FakeTimeProvider());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pooled_predictions_under_parallel_load_equal_sequential_ones(bool useEngine)
    {
        var dir = Fixtures.TempDirectory();
        Fixtures.Train(dir);
        using var classifier = Classifier(dir, useEngine);
        var texts = Fixtures.Rows(99).Select(r => r.Text).Take(200).ToArray();
        var expected = texts.Select(t => classifier.Classify(t).Scores.Select(s => s.Score).ToArray()).ToArray();

        var mismatches = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var result = classifier.Classify(texts[i % texts.Length]);
            if (!result.Scores.Select(s => s.Score).SequenceEqual(expected[i % texts.Length]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Direct_scoring_equals_the_pooled_ml_net_engines()
    {
        var dir = Fixtures.TempDirectory();
        Fixtures.Train(dir);
        using var direct = Classifier(dir);
        using var engine = Classifier(dir, useEngine: true);
        Assert.False(direct.Current.UsesEngine);
        Assert.True(engine.Current.UsesEngine);
        foreach (var text in Fixtures.Rows(5).Select(r => r.Text).Take(100))
        {
            var a = direct.Classify(text).Scores;
            var b = engine.Classify(text).Scores;
            Assert.All(a.Zip(b), p => Assert.Equal(p.Second.Score, p.First.Score, 4));
        }
    }

    [Fact]
    public void Classify_reports_kind_version_and_one_model_score_per_category()
    {
        var dir = Fixtures.TempDirectory();
        var model = Fixtures.Train(dir);
        using var classifier = Classifier(dir);
        var result = classifier.Classify(Fixtures.Insult);
        Assert.Equal(ClassifierKinds.Model, result.Kind);
        Assert.Equal(model.Version, result.Version);
        Assert.Empty(result.Hits);
        Assert.Equal([4, 8], result.Scores.Select(s => s.Category));
        Assert.All(result.Scores, s => Assert.Equal(ClassifierKinds.Model, s.Source));
    }

    [Fact]
    public void Hot_swap_never_serves_a_half_loaded_model()
    {
        // Two models with opposite labels give clearly different scores for the probe text.
        var a = Fixtures.TempDirectory();
        var b = Fixtures.TempDirectory();
        var modelA = Fixtures.Train(a, at: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var modelB = Fixtures.Train(b, swapLabels: true, at: new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        Assert.NotEqual(modelA.Version, modelB.Version);
        var expected = new Dictionary<string, double[]>
        {
            [modelA.Version] = modelA.Predict(Fixtures.Insult).Select(p => (double)p).ToArray(),
            [modelB.Version] = modelB.Predict(Fixtures.Insult).Select(p => (double)p).ToArray(),
        };

        var live = Fixtures.TempDirectory();
        CopyModel(a, live);
        using var classifier = Classifier(live);
        var seen = new ConcurrentDictionary<string, int>();
        var bad = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var r = classifier.Classify(Fixtures.Insult);
                seen.AddOrUpdate(r.Version, 1, (_, n) => n + 1);
                if (!expected.TryGetValue(r.Version, out var scores) || !scores.SequenceEqual(r.Scores.Select(s => s.Score)))
                {
                    bad.Add(r.Version);
                }
            }
        })).ToArray();

        // A manifest announcing B whose zip is still half-copied must be refused: A keeps serving.
        var manifestB = ModelManifest.Read(Path.Combine(b, ModelManifest.FileName));
        var zipB = File.ReadAllBytes(Path.Combine(b, manifestB.ModelFile));
        File.WriteAllBytes(Path.Combine(live, manifestB.ModelFile), zipB[..(zipB.Length / 2)]);
        manifestB.WriteAtomically(Path.Combine(live, ModelManifest.FileName));
        Assert.False(classifier.TryReload());
        Assert.Equal(modelA.Version, classifier.Current.Version);

        // The complete file arrives: the next reload swaps.
        File.WriteAllBytes(Path.Combine(live, manifestB.ModelFile), zipB);
        Assert.True(classifier.TryReload());
        Assert.False(classifier.TryReload()); // same version again: nothing to do
        Assert.True(SpinWait.SpinUntil(() => seen.ContainsKey(modelB.Version), TimeSpan.FromSeconds(10)), "no reader saw the new model");
        stop.Cancel();
        Task.WaitAll(readers);

        Assert.Empty(bad);
        Assert.True(seen.ContainsKey(modelA.Version));
        Assert.True(seen.ContainsKey(modelB.Version));
        Assert.Equal(modelB.Version, classifier.Classify(Fixtures.Insult).Version);
    }

    [Fact]
    public void The_reload_timer_picks_up_a_new_version()
    {
        var a = Fixtures.TempDirectory();
        var b = Fixtures.TempDirectory();
        Fixtures.Train(a, at: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var modelB = Fixtures.Train(b, swapLabels: true, at: new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var live = Fixtures.TempDirectory();
        CopyModel(a, live);
        var time = new FakeTimeProvider();
        using var classifier = new ModelClassifier(new ModelOptions { ModelDirectory = live, ReloadIntervalSeconds = 30 }, time);

        CopyModel(b, live);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(SpinWait.SpinUntil(() => classifier.Current.Version == modelB.Version, TimeSpan.FromSeconds(10)), "the timer did not swap in the new model");
        Assert.Equal(modelB.Version, classifier.Classify("测试").Version);
    }

    [Fact]
    public void A_missing_model_fails_with_a_clear_message()
    {
        var empty = Fixtures.TempDirectory();
        var e = Assert.Throws<ModelLoadException>(() => Classifier(empty));
        Assert.Contains("model.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("Enabled=false", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Zip first, manifest last — the order `train` uses.</summary>
    private static void CopyModel(string from, string to)
    {
        var manifest = ModelManifest.Read(Path.Combine(from, ModelManifest.FileName));
        File.Copy(Path.Combine(from, manifest.ModelFile), Path.Combine(to, manifest.ModelFile), overwrite: true);
        manifest.WriteAtomically(Path.Combine(to, ModelManifest.FileName));
    }
}
