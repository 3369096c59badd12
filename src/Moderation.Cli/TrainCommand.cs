using System.CommandLine;
using Moderation.Ml.Data;
using Moderation.Ml.Features;
using Moderation.Ml.Training;
using Moderation.Ml.Workflows;

/// <summary><c>moderation train</c>: public data + project examples + moderator decisions → models/classifier/.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataRoot = new Option<string>("--data-root") { Description = "Folder with cold/, swsr/, davidson_en/ (default: <repo>/../shared/data)", DefaultValueFactory = _ => ModelCliPaths.DataRoot };
        var examples = new Option<string>("--examples") { Description = "Folder of the project's own labelled *.tsv examples", DefaultValueFactory = _ => ModelCliPaths.ExamplesDirectory };
        var decisions = new Option<string[]>("--decisions") { Description = "Exported moderator decisions (same TSV format); repeatable", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output") { Description = "Model directory to write", DefaultValueFactory = _ => ModelCliPaths.ModelDirectory };
        var seed = new Option<int>("--seed") { Description = "Seed for splits and training", DefaultValueFactory = _ => new TrainingSettings().Seed };
        var hashBits = new Option<int>("--hash-bits") { Description = "Feature space is 2^bits", DefaultValueFactory = _ => new FeaturizerSettings().HashBits };
        var maxNgram = new Option<int>("--max-ngram") { Description = "Longest character n-gram", DefaultValueFactory = _ => new FeaturizerSettings().MaxNgram };
        var l2 = new Option<float>("--l2") { Description = "SDCA L2 regularisation", DefaultValueFactory = _ => new TrainingSettings().L2Regularization };
        var iterations = new Option<int>("--iterations") { Description = "SDCA passes at most", DefaultValueFactory = _ => new TrainingSettings().MaxIterations };
        var detectorFeatures = new Option<bool>("--detector-features") { Description = "Use the solicitation detector's findings (shipped pattern lists) as features", DefaultValueFactory = _ => true };
        var detectorWeight = new Option<float>("--detector-feature-weight") { Description = "Value of each detector feature beside the L2-normalised n-grams", DefaultValueFactory = _ => new FeaturizerSettings().DetectorFeatureWeight };

        var command = new Command("train", "Train the per-category classifier and write model zip, metrics.json, thresholds.json, model-card.md and PR curves")
        {
            dataRoot, examples, decisions, output, seed, hashBits, maxNgram, l2, iterations, detectorFeatures, detectorWeight,
        };
        command.SetAction(parse =>
        {
            var sources = new DataSources(parse.GetValue(dataRoot)!, parse.GetValue(examples)!, parse.GetValue(decisions) ?? []);
            var settings = new TrainingSettings
            {
                Seed = parse.GetValue(seed),
                L2Regularization = parse.GetValue(l2),
                MaxIterations = parse.GetValue(iterations),
                Featurizer = new FeaturizerSettings
                {
                    HashBits = parse.GetValue(hashBits),
                    MaxNgram = parse.GetValue(maxNgram),
                    DetectorFeatures = parse.GetValue(detectorFeatures),
                    DetectorFeatureWeight = parse.GetValue(detectorWeight),
                },
            };
            var reproduce = "dotnet run --project src/Moderation.Cli -c Release -- train" + string.Concat((parse.GetValue(decisions) ?? []).Select(d => $" --decisions {d}"));
            TrainWorkflow.Run(sources, settings, parse.GetValue(output)!, Console.Out, TimeProvider.System, reproduce);
            return 0;
        });
        return command;
    }
}
