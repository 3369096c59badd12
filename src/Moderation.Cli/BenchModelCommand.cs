using System.CommandLine;
using Moderation.Ml.Data;
using Moderation.Ml.Serving;
using Moderation.Ml.Workflows;

/// <summary><c>moderation bench-model</c>: single-thread predictions per second on 100-character posts, and the zip size.</summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory", DefaultValueFactory = _ => ModelCliPaths.ModelDirectory };
        var seconds = new Option<double>("--seconds") { Description = "Measuring time", DefaultValueFactory = _ => 5 };
        var length = new Option<int>("--length") { Description = "Post length in characters", DefaultValueFactory = _ => 100 };
        var dataRoot = new Option<string>("--data-root") { Description = "Shared data folder (COLD texts make the posts)", DefaultValueFactory = _ => ModelCliPaths.DataRoot };
        var command = new Command("bench-model", "Measure single-thread prediction throughput and model size") { model, seconds, length, dataRoot };
        command.SetAction(parse =>
        {
            var loaded = LoadedModel.Load(parse.GetValue(model)!);
            var cold = Path.Combine(parse.GetValue(dataRoot)!, "cold", "normalized.tsv");
            var texts = File.Exists(cold) ? LabelledTsv.Read(cold).Where(r => r.Split == Splits.Test).Select(r => r.Text).ToList() : [];
            var result = ModelBenchmark.Run(loaded, texts, parse.GetValue(seconds), parse.GetValue(length));
            Console.WriteLine($"bench-model: model {loaded.Version}: {result.PostsPerSecond:N0} posts/s single-thread ({result.PostLength}-char posts, {result.Posts:N0} in {result.Seconds:0.0} s), zip {result.ZipMiB:0.00} MiB");
            return 0;
        });
        return command;
    }
}
