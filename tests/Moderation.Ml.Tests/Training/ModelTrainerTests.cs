using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Tests.Training;

public sealed class ModelTrainerTests
{
    [Fact]
    public void Training_on_a_small_fixture_writes_a_loadable_model_with_the_expected_schema()
    {
        var dir = Fixtures.TempDirectory();
        Fixtures.Train(dir);

        var manifest = ModelManifest.Read(Path.Combine(dir, ModelManifest.FileName));
        Assert.Equal([4, 8], manifest.Categories);
        Assert.True(File.Exists(Path.Combine(dir, manifest.ModelFile)));
        Assert.True(File.Exists(Path.Combine(dir, ThresholdsFile.FileName)));
        Assert.Equal(["4", "8"], manifest.Thresholds.Keys.Order());

        var ml = new MLContext();
        var transformer = ml.Model.Load(Path.Combine(dir, manifest.ModelFile), out var inputSchema);
        var features = inputSchema["Features"].Type as VectorDataViewType;
        Assert.NotNull(features);
        Assert.Equal(1 << 12, features.Size);
        var output = transformer.GetOutputSchema(inputSchema);
        var probabilities = output["Probabilities"].Type as VectorDataViewType;
        Assert.NotNull(probabilities);
        Assert.Equal(3, probabilities.Size); // P(prohibited), P(4 | prohibited), P(8 | prohibited)
        Assert.Equal(["any", "4", "8"], manifest.Heads.Select(h => h.Name));

        var model = LoadedModel.Load(dir);
        var insult = model.Predict(Fixtures.Insult);
        var clean = model.Predict(Fixtures.Clean);
        Assert.All(insult.Concat(clean), p => Assert.InRange(p, 0f, 1f));
        Assert.True(insult[1] > clean[1], $"P8 insult {insult[1]} should exceed P8 clean {clean[1]}");
    }

    [Fact]
    public void A_category_without_enough_positives_gets_no_head()
    {
        var dir = Fixtures.TempDirectory();
        var rows = Fixtures.Rows(3).Where(r => r.Category != 4).ToList();
        rows.Add(new Moderation.Ml.Data.LabelledRow("只有一条的类别七", 7, "", "fixture"));
        var data = Moderation.Ml.Data.DatasetBuilder.Build(rows, 3);
        var model = new ModelTrainer(TimeProvider.System).Train(data, Fixtures.Settings(3), dir, _ => { });
        Assert.Equal([8], model.Categories);
        Assert.Equal(model.ProhibitedProbability(Fixtures.Insult), model.Predict(Fixtures.Insult)[0]); // one category: P(8) = P(prohibited)
    }

    [Fact]
    public void A_one_vs_rest_category_gets_an_independent_head_and_detector_features_reach_the_model()
    {
        var rows = Fixtures.Rows(11);
        var rng = new Random(11);
        string[] offers = ["百家乐稳赢加微信", "时时彩计划群", "真人荷官首充送", "菠菜平台出款快", "六合彩特码私聊"];
        for (var i = 0; i < 60; i++)
        {
            rows.Add(new Moderation.Ml.Data.LabelledRow(offers[rng.Next(offers.Length)] + " QQ " + (2875593104L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 7, "", "fixture"));
        }

        var data = Moderation.Ml.Data.DatasetBuilder.Build(rows, 11);
        var settings = Fixtures.Settings(11) with
        {
            OneVsRestCategories = [7],
            Featurizer = Fixtures.Settings(11).Featurizer with { DetectorFeatures = true },
        };
        var dir = Fixtures.TempDirectory();
        var model = new ModelTrainer(new Microsoft.Extensions.Time.Testing.FakeTimeProvider()).Train(data, settings, dir, _ => { });

        var manifest = ModelManifest.Read(Path.Combine(dir, ModelManifest.FileName));
        Assert.True(manifest.Featurizer.DetectorFeatures);
        Assert.Equal([false, false, true, false], manifest.Heads.Select(h => h.Independent)); // any, 4, 7, 8
        var reloaded = LoadedModel.Load(dir);
        var offer = reloaded.Predict("新开的时时彩平台 加QQ 3352718846");
        var clean = reloaded.Predict(Fixtures.Clean);
        var seven = reloaded.Categories.ToList().IndexOf(7);
        Assert.True(offer[seven] > clean[seven], $"P7 offer {offer[seven]} should exceed P7 clean {clean[seven]}");

        // The detector's findings are features: a phone number adds some beyond the n-grams.
        var plain = new Moderation.Ml.Features.TextFeaturizer(manifest.Featurizer with { DetectorFeatures = false });
        var withDetector = reloaded.Featurizer;
        const string post = "电话 13812345678";
        Assert.True(withDetector.Featurize(post).GetValues().Length > plain.Featurize(post).GetValues().Length);
        Assert.Equal(model.Version, reloaded.Version);
    }
}
