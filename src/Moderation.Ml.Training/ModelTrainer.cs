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
        var detector = settings.Featurizer.DetectorFeatures ? DetectorFeatureSource.ShippedRules() : null;
        var featurizer = new TextFeaturizer(settings.Featurizer, detector);
        if (detector is not null)
        {
            progress($"detector features from the shipped rules {detector.Version}");
        }

        var dim = featurizer.Dimension;
        var ml = new MLContext(seed: settings.Seed);

        progress($"featurizing {data.Train.Count + data.Dev.Count} rows ({dim} hashed features)");
        var train = data.Train.Select(r => (r.Category, Features: featurizer.Featurize(r.Text))).ToArray();
        var dev = data.Dev.Select(r => (r.Category, Features: featurizer.Featurize(r.Text))).ToArray();

        var categories = train.GroupBy(r => r.Category)
            .Where(g => g.Key > 0 && g.Count() >= settings.MinPositives && dev.Any(d => d.Category == g.Key))
            .Select(g => g.Key)
            .Order()
            .ToArray();
        if (categories.Length == 0)
        {
            throw new InvalidOperationException($"no category has {settings.MinPositives}+ training positives and a dev positive: nothing to train");
        }

        // Head 0: prohibited (any category) vs clean, on every row. Heads 1..n: category c vs the other
        // prohibited categories, on prohibited rows only. P(c) = P(prohibited) · P(c | prohibited).
        // One shared "is this prohibited at all" model beats one-vs-rest heads that each learn it alone
        // from fewer positives (COLD dev/test: +2 points), and the product is still one probability per category.
        var kept = train.Where(r => r.Category == 0 || categories.Contains(r.Category)).ToArray();
        var keptDev = dev.Where(r => r.Category == 0 || categories.Contains(r.Category)).ToArray();
        var specs = new List<(string Name, Func<int, bool> Positive, (int Category, VBuffer<float> Features)[] Train, (int Category, VBuffer<float> Features)[] Dev, bool Independent)>
        {
            (ModelManifest.AnyHead, c => c > 0, kept, keptDev, false),
        };
        if (categories.Length > 1)
        {
            foreach (var category in categories)
            {
                var name = category.ToString(CultureInfo.InvariantCulture);
                if (settings.OneVsRestCategories.Contains(category))
                {
                    specs.Add((name, c => c == category, kept, keptDev, true));
                }
                else
                {
                    specs.Add((name, c => c == category, kept.Where(r => r.Category > 0).ToArray(), keptDev.Where(r => r.Category > 0).ToArray(), false));
                }
            }
        }

        var transformers = new List<ITransformer>();
        var calibration = new List<HeadCalibration>();
        var emptyInput = ml.Data.LoadFromEnumerable(Array.Empty<ModelInput>(), MlSchemas.For<ModelInput>(dim));
        foreach (var (name, isPositive, rows, devRows, independent) in specs)
        {
            var positives = rows.Count(r => isPositive(r.Category));
            var weight = Math.Clamp((float)Math.Sqrt((rows.Length - positives) / (double)positives), 1f, settings.MaxPositiveWeight);
            progress($"head {name}: {positives} positives of {rows.Length}, positive weight {weight:0.00}; training SDCA");
            var trainView = ml.Data.Cache(FeatureRow.Load(ml, rows.Select(r => new FeatureRow { Features = r.Features, Label = isPositive(r.Category), Weight = isPositive(r.Category) ? weight : 1f }), dim));
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
            var linear = LinearHead.From(head.Model);
            var platt = PlattParameters.Fit(devRows.Select(r => (linear.Score(r.Features), isPositive(r.Category))).ToArray());
            calibration.Add(new HeadCalibration(name, platt.Slope, platt.Offset, independent));
            var calibrator = ml.BinaryClassification.Calibrators.Platt(platt.Slope, platt.Offset, "Score").Fit(head.Transform(emptyInput));
            var copy = ml.Transforms.CopyColumns("P_" + name, "Probability").Fit(calibrator.Transform(head.Transform(emptyInput)));
            transformers.Add(head);
            transformers.Add(calibrator);
            transformers.Add(copy);
        }

        var heads = categories;
        var columns = specs.Select(x => "P_" + x.Name).ToArray();
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
            Heads = calibration,
            Thresholds = new Dictionary<string, CategoryThresholds>(),
        };
        var staging = Path.Combine(outputDirectory, ".staging-" + version);
        Directory.CreateDirectory(staging);
        File.Copy(Path.Combine(outputDirectory, modelFile), Path.Combine(staging, modelFile), overwrite: true);
        provisional.WriteAtomically(Path.Combine(staging, ModelManifest.FileName));
        var scorer = LoadedModel.Load(staging, detector: detector);
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

        var offensive = ChooseOffensiveThreshold(data.Dev, data.Dev.Select(r => (double)scorer.ProhibitedProbability(r.Text)).ToArray());
        var manifest = provisional with
        {
            Thresholds = thresholds,
            TargetReviewPrecision = settings.TargetReviewPrecision,
            TargetBlockPrecision = settings.TargetBlockPrecision,
            OffensiveThreshold = offensive,
            Seed = settings.Seed,
            DetectorRulesVersion = detector?.Version,
            ModeratorDecisions = data.Train.Concat(data.Dev).Concat(data.Test).Count(r => r.Source == DataSources.DecisionsSource),
        };

        foreach (var old in Directory.EnumerateFiles(outputDirectory, "model-*.zip").Where(f => Path.GetFileName(f) != modelFile))
        {
            File.Delete(old); // a running worker holds its model in memory; the directory keeps only the current one
        }

        manifest.WriteAtomically(Path.Combine(outputDirectory, ModelManifest.FileName));
        ThresholdsFile.Write(Path.Combine(outputDirectory, ThresholdsFile.FileName), manifest);
        progress($"model {version}: heads {string.Join(", ", heads)}, {bytes.Length / 1024.0 / 1024.0:0.00} MiB");
        return LoadedModel.Load(outputDirectory, detector: detector);
    }

    /// <summary>COLD's task is binary: offensive when P(prohibited) clears this (best accuracy on COLD's dev rows).</summary>
    private static double ChooseOffensiveThreshold(IReadOnlyList<LabelledRow> dev, double[] prohibited)
    {
        var rows = dev.Select((r, i) => (r, i)).Where(x => x.r.Source == "COLD").ToArray();
        if (rows.Length == 0)
        {
            return 0.5;
        }

        var best = (Threshold: 0.5, Accuracy: -1.0);
        for (var t = 0.05; t < 0.96; t += 0.01)
        {
            var correct = rows.Count(x => prohibited[x.i] >= t == (x.r.Category != 0));
            var acc = correct / (double)rows.Length;
            if (acc > best.Accuracy)
            {
                best = (Math.Round(t, 2), acc);
            }
        }

        return best.Threshold;
    }
}
