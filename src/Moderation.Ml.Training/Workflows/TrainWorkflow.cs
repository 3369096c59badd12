using Moderation.Ml.Data;
using Moderation.Ml.Evaluation;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Workflows;

public sealed record TrainOutcome(Dataset Data, LoadedModel Model, EvaluationReport Report, BenchmarkResult Benchmark);

/// <summary>train = build the dataset, train, evaluate on the held-out test split, benchmark, write the model card.</summary>
public static class TrainWorkflow
{
    public static Dataset BuildDataset(DataSources sources, int seed, Action<string> progress)
    {
        var data = DatasetBuilder.Build(sources.ReadAll(progress), seed);
        progress(DatasetBuilder.Describe(data));
        return data;
    }

    public static TrainOutcome Run(DataSources sources, TrainingSettings settings, string outputDirectory, TextWriter output, TimeProvider time, string reproduceCommand)
    {
        var started = time.GetTimestamp();
        void Progress(string message) => output.WriteLine($"[{time.GetElapsedTime(started).TotalSeconds,6:0.0}s] {message}");

        var data = BuildDataset(sources, settings.Seed, Progress);
        var model = new ModelTrainer(time).Train(data, settings, outputDirectory, Progress);
        var trainSeconds = time.GetElapsedTime(started).TotalSeconds;

        Progress("evaluating on the held-out test split");
        var report = EvaluateWorkflow.Run(model, data.Test, "held-out test split", sources.ColdTestCsv, outputDirectory, output);
        Progress("benchmarking single-thread prediction");
        var bench = ModelBenchmark.Run(model, data.Test.Where(r => r.Source == "COLD").Select(r => r.Text).ToList());
        output.WriteLine($"bench-model: {bench.PostsPerSecond:N0} posts/s single-thread ({bench.PostLength}-char posts), zip {bench.ZipMiB:0.00} MiB");
        Progress("measuring coverage on data never trained on (examples/test, clean_zh held-out)");
        var coverage = ModelCoverage.Measure(model, sources);
        ModelCard.Write(outputDirectory, model, data, report, bench, trainSeconds, reproduceCommand, coverage);
        Progress($"done: {Path.Combine(outputDirectory, ModelCard.FileName)}");
        return new TrainOutcome(data, model, report, bench);
    }
}
