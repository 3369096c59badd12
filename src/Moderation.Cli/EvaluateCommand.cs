using System.CommandLine;
using Moderation.Ml.Data;
using Moderation.Ml.Serving;
using Moderation.Ml.Workflows;

/// <summary><c>moderation evaluate</c>: metrics, confusion matrix, PR curves and the cold-test line.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory", DefaultValueFactory = _ => ModelCliPaths.ModelDirectory };
        var data = new Option<string?>("--data") { Description = "Labelled TSV (text, orig_label, cat, split, source) to evaluate on; default: the held-out test splits rebuilt with the model's seed" };
        var dataRoot = new Option<string>("--data-root") { Description = "Shared data folder (for the default held-out split and COLD's test.csv)", DefaultValueFactory = _ => ModelCliPaths.DataRoot };
        var examples = new Option<string>("--examples") { Description = "Project examples folder (part of the default held-out split)", DefaultValueFactory = _ => ModelCliPaths.ExamplesDirectory };
        var output = new Option<string?>("--output") { Description = "Where to write metrics.json and pr-*.png (default: the model directory for the held-out split; nowhere with --data, so evaluating other data never changes models/)" };

        var command = new Command("evaluate", "Evaluate the model: per-category precision/recall/F1/support, confusion matrix, PR curves, COLD test line")
        {
            model, data, dataRoot, examples, output,
        };
        command.SetAction(parse =>
        {
            var loaded = LoadedModel.Load(parse.GetValue(model)!);
            var sources = new DataSources(parse.GetValue(dataRoot)!, parse.GetValue(examples)!, []);
            IReadOnlyList<LabelledRow> rows;
            string name;
            string? writeTo;
            if (parse.GetValue(data) is { } file)
            {
                rows = LabelledTsv.Read(file).Where(r => r.Category >= 0).ToList();
                name = Path.GetFileName(file);
                writeTo = parse.GetValue(output);
            }
            else
            {
                rows = TrainWorkflow.BuildDataset(sources, loaded.Manifest.Seed, Console.WriteLine).Test;
                name = "held-out test split";
                writeTo = parse.GetValue(output) ?? loaded.Directory;
            }

            EvaluateWorkflow.Run(loaded, rows, name, sources.ColdTestCsv, writeTo, Console.Out);
            return 0;
        });
        return command;
    }
}
