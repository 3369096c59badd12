using System.CommandLine;

// Each command lives in its own file and is registered here; keep this list the only wiring.
var root = new RootCommand("Moderation: operator and developer commands (scan, detect, keyword-quality, train, evaluate, evaluate-decisions, records, replay, requeue-errors, faults, benchmarks).");
// commands:
root.Subcommands.Add(Moderation.Cli.Keywords.ScanCommand.Create());
root.Subcommands.Add(Moderation.Cli.Keywords.BenchKeywordsCommand.Create());
root.Subcommands.Add(Moderation.Cli.Keywords.BenchLexiconBuildCommand.Create());
root.Subcommands.Add(Moderation.Cli.Keywords.KeywordQualityCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(Moderation.Cli.Decisions.EvaluateDecisionsCommand.Create());
root.Subcommands.Add(Moderation.Cli.Detection.DetectCommand.Create());
root.Subcommands.Add(Moderation.Cli.Detection.BenchDetectionCommand.Create());
root.Subcommands.Add(BenchModelCommand.Create());
root.Subcommands.Add(Moderation.Cli.Pipeline.BenchPipelineCommand.Create());
root.Subcommands.Add(Moderation.Cli.Records.RecordsCommand.Create());
root.Subcommands.Add(Moderation.Cli.Records.ReplayCommand.Create());
root.Subcommands.Add(Moderation.Cli.Banks.BenchBanksCommand.Create());
root.Subcommands.Add(Moderation.Cli.Faults.FaultsCommand.Create());
root.Subcommands.Add(Moderation.Cli.Operations.RequeueErrorsCommand.Create());
// `moderation [diagram] <command> …` shows how a command line parses without running it; the docs test uses it to
// check every command the docs show.
root.Directives.Add(new DiagramDirective());
return await root.Parse(args).InvokeAsync();
