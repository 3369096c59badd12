using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Moderation.Ml.Data;
using Moderation.Ml.Features;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Training;

/// <summary>
/// One-vs-rest: one logistic-loss linear model (SDCA, single thread) per category with data, each
/// Platt-calibrated on the dev split, so each category gets an independent probability. All heads
/// live in one ML.NET transformer chain ending in a <c>Probabilities</c> vector, saved as one zip.
/// </summary>
public sealed class ModelTrainer(TimeProvider time)
{
    public LoadedModel Train(Dataset data, TrainingSettings settings, string outputDirectory, Action<string> progress)
    {
        var featurizer = new TextFeaturizer(settings.Featurizer);
        var dim = featurizer.Dimension;
        var ml = new MLContext(seed: settings.Seed);

        progress($"featurizing {data.Train.Count + data.Dev.Count} rows ({dim} hashed features)");
        var train = data.Train.Select(r => (r.Category, Features: featurizer.Featurize(r.Text))).ToArray();
        var dev = data.Dev.Select(r => (r.Category, Features: featurizer.Featurize(r.Text))).ToArray();

        var heads = train.GroupBy(r => r.Category)
            .Where(g => g.Key > 0 && g.Count() >= settings.MinPositives && dev.Any(d => d.Category == g.Key))
            .Select(g => g.Key)
            .Order()
            .ToArray();
        if (heads.Length == 0)
        {
            throw new InvalidOperationException($"no category has {settings.MinPositives}+ training positives and a dev positive: nothing to train");
        }

        var transformers = new List<ITransformer>();
        var emptyInput = ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>(), MlSchemas.For<ModelInput>(dim));
        foreach (var category in heads)
        {
            var positives = train.Count(r => r.Category == category);
            var weight = Math.Clamp((float)Math.Sqrt((train.Length - positives) / (double)positives), 1f, settings.MaxPositiveWeight);
            progress($"category {category}: {positives} positives of {train.Length}, positive weight {weight:0.00}; training SDCA");
            var trainView = ml.Data.Cache(MlSchemas.Load(ml, train.Select(r => new FeatureRow { Features = r.Features, Label = r.Category == category, Weight = r.Category == category ? weight : 1f }), dim));
            var devView = MlSchemas.Load(ml, dev.Select(r => new FeatureRow { Features = r.Features, Label = r.Category == category }), dim);

            var trainer = ml.BinaryClassification.Trainers.SdcaNonCalibrated(new SdcaNonCalibratedBinaryTrainer.Options
            {
                LabelColumnName = nameof(FeatureRow.Label),
                FeatureColumnName = MlSchemas.Features,
                ExampleWeightColumnName = nameof(FeatureRow.Weight),
                LossFunction = new LogLoss(),
                L2Regularization = settings.L2Regularization,
                L1Regularization = settings.L1Regularization,
                ConvergenceTolerance = settings.ConvergenceTolerance,
                MaximumNumberOfIterations = settings.MaxIterations,
                NumberOfThreads = 1,
                Shuffle = true,
            });
            var head = trainer.Fit(trainView);
            var calibrator = ml.BinaryClassification.Calibrators.Platt(nameof(FeatureRow.Label), "Score").Fit(head.Transform(devView));
            var probability = "P" + category.ToString(CultureInfo.InvariantCulture);
            var copy = ml.Transforms.CopyColumns(probability, "Probability").Fit(calibrator.Transform(head.Transform(devView)));
            transformers.Add(head);
            transformers.Add(calibrator);
            transformers.Add(copy);
        }

        var columns = heads.Select(c => "P" + c.ToString(CultureInfo.InvariantCulture)).ToArray();
        var partial = new TransformerChain<ITransformer>([.. transformers]);
        transformers.Add(ml.Transforms.Concatenate(MlSchemas.Probabilities, columns).Fit(partial.Transform(emptyInput)));
        var chain = new TransformerChain<ITransformer>([.. transformers]);

        progress("saving model");
        Directory.CreateDirectory(outputDirectory);
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            ml.Model.Save(chain, emptyInput.Schema, buffer);
            bytes = buffer.ToArray();
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var created = time.GetUtcNow();
        var version = string.Create(CultureInfo.InvariantCulture, $"{created:yyyyMMdd.HHmm}-{sha[..8]}");
        var modelFile = $"model-{version}.zip";
        var tmp = Path.Combine(outputDirectory, modelFile + ".tmp");
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, Path.Combine(outputDirectory, modelFile), overwrite: true);

        // Thresholds come from the calibrated dev scores of the chain exactly as it will serve.
        var provisional = new ModelManifest
        {
            Version = version,
            CreatedAt = created,
            ModelFile = modelFile,
            Sha256 = sha,
            Featurizer = settings.Featurizer,
            Categories = heads,
            Thresholds = new Dictionary<string, CategoryThresholds>(),
        };
        var staging = Path.Combine(outputDirectory, ".staging-" + version);
        Directory.CreateDirectory(staging);
        File.Copy(Path.Combine(outputDirectory, modelFile), Path.Combine(staging, modelFile), overwrite: true);
        provisional.WriteAtomically(Path.Combine(staging, ModelManifest.FileName));
        var scorer = LoadedModel.Load(staging);
        Directory.Delete(staging, recursive: true);

        progress("choosing thresholds on dev");
        var devScores = data.Dev.Select(r => scorer.Predict(r.Text)).ToArray();
        var thresholds = new Dictionary<string, CategoryThresholds>();
        for (var h = 0; h < heads.Length; h++)
        {
            var pairs = devScores.Select((s, i) => (Score: (double)s[h], Positive: data.Dev[i].Category == heads[h])).ToArray();
            var review = ThresholdChooser.ForPrecision(pairs, settings.TargetReviewPrecision);
            var block = ThresholdChooser.ForPrecision(pairs, settings.TargetBlockPrecision);
            thresholds[heads[h].ToString(CultureInfo.InvariantCulture)] = new CategoryThresholds
            {
                ModelReviewThreshold = review.Threshold,
                ModelBlockThreshold = Math.Max(block.Threshold, review.Threshold),
                DevPrecisionAtReview = review.Precision,
                DevRecallAtReview = review.Recall,
                DevPrecisionAtBlock = block.Precision,
                DevRecallAtBlock = block.Recall,
            };
        }

        var offensive = ChooseOffensiveThreshold(data.Dev, devScores, heads);
        var manifest = provisional with
        {
            Thresholds = thresholds,
            TargetReviewPrecision = settings.TargetReviewPrecision,
            TargetBlockPrecision = settings.TargetBlockPrecision,
            OffensiveThreshold = offensive,
            Seed = settings.Seed,
            ModeratorDecisions = data.Train.Concat(data.Dev).Concat(data.Test).Count(r => r.Source == DataSources.DecisionsSource),
        };

        foreach (var old in Directory.EnumerateFiles(outputDirectory, "model-*.zip").Where(f => Path.GetFileName(f) != modelFile))
        {
            File.Delete(old); // a running worker holds its model in memory; the directory keeps only the current one
        }

        manifest.WriteAtomically(Path.Combine(outputDirectory, ModelManifest.FileName));
        ThresholdsFile.Write(Path.Combine(outputDirectory, ThresholdsFile.FileName), manifest);
        progress($"model {version}: heads {string.Join(", ", heads)}, {bytes.Length / 1024.0 / 1024.0:0.00} MiB");
        return LoadedModel.Load(outputDirectory);
    }

    /// <summary>COLD's task is binary: offensive when the highest category probability clears this (best dev accuracy on COLD rows).</summary>
    private static double ChooseOffensiveThreshold(IReadOnlyList<LabelledRow> dev, float[][] scores, int[] heads)
    {
        var offensiveHeads = heads.Select((c, i) => (c, i)).Where(x => x.c is 4 or 8).Select(x => x.i).ToArray();
        var rows = dev.Select((r, i) => (r, i)).Where(x => x.r.Source == "COLD").ToArray();
        if (offensiveHeads.Length == 0 || rows.Length == 0)
        {
            return 0.5;
        }

        var best = (Threshold: 0.5, Accuracy: -1.0);
        for (var t = 0.05; t < 0.96; t += 0.01)
        {
            var correct = rows.Count(x => offensiveHeads.Max(h => scores[x.i][h]) >= t == (x.r.Category != 0));
            var acc = correct / (double)rows.Length;
            if (acc > best.Accuracy)
            {
                best = (Math.Round(t, 2), acc);
            }
        }

        return best.Threshold;
    }
}
