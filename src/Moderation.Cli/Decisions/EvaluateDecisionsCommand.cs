using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Ml.Data;
using Moderation.Pipeline;

namespace Moderation.Cli.Decisions;

/// <summary>
/// <c>evaluate-decisions</c>: the whole decision on labelled rows — every classifier the worker registers
/// (same registration, same <c>Moderation:Policy</c> from the worker's appsettings.json), through the
/// same <see cref="ModerationEngine"/> — and per source and category the share passed, quarantined,
/// blocked, acted on, and acted on with the row's own category; for clean rows the false alarms.
/// </summary>
internal static class EvaluateDecisionsCommand
{
    /// <summary>The shared reference lists and what each is evidence of, for <c>--domain-lists DIR</c>.</summary>
    internal static readonly (string File, int Category, string SubLabel)[] ReferenceLists =
    [
        ("gambling.txt", 7, "gambling"), ("porn.txt", 7, "porn"), ("scam.txt", 9, "fraud"), ("drugs.txt", 9, "drugs"), ("phishing.txt", 9, "phishing"),
    ];

    public static Command Create()
    {
        var data = new Option<string[]>("--data") { Description = "Labelled TSV (text, orig_label, cat, split, source); repeat for several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var split = new Option<string?>("--split") { Description = "Only rows of this split (train/dev/test); rows without one (clean_zh) get the fixed split training uses (HeldOutSplit)." };
        var settings = new Option<string?>("--settings") { Description = "A JSON file layered over the worker's appsettings.json (as for replay)." };
        var domainLists = new Option<string?>("--domain-lists") { Description = "A folder holding gambling.txt, porn.txt, scam.txt, drugs.txt, phishing.txt (e.g. ../shared/data/domains): configured as Moderation:Detection:DomainLists." };
        var misses = new Option<int>("--misses") { Description = "Print up to N rows per category that were not acted on in their category, and N clean rows that were acted on.", DefaultValueFactory = _ => 0 };
        var byLabel = new Option<bool>("--by-label") { Description = "Tally per orig_label (the source's own sub-label: review, warning, drugs …) instead of per source." };
        var command = new Command("evaluate-decisions", "Run every classifier and the worker's policy over labelled rows; per category and source: passed, quarantined, blocked, acted on in the right category.")
        {
            data, split, settings, domainLists, misses, byLabel,
        };
        command.SetAction(parse =>
        {
            var overrides = new Dictionary<string, string?>
            {
                // measurement needs no file watching; the decisions do not depend on it
                ["Moderation:Keywords:HotReload"] = "false",
                ["Moderation:Detection:HotReload"] = "false",
                ["Moderation:Model:ReloadIntervalSeconds"] = "0",
            };
            if (parse.GetValue(domainLists) is { } dir)
            {
                var i = 0;
                foreach (var (file, category, sub) in ReferenceLists)
                {
                    var path = Path.GetFullPath(Path.Combine(dir, file));
                    if (!File.Exists(path))
                        continue;
                    overrides[$"Moderation:Detection:DomainLists:{i}:Path"] = path;
                    overrides[$"Moderation:Detection:DomainLists:{i}:Category"] = category.ToString(CultureInfo.InvariantCulture);
                    overrides[$"Moderation:Detection:DomainLists:{i}:SubLabel"] = sub;
                    i++;
                }
            }

            var config = WorkerSettings.Build(parse.GetValue(settings), overrides);
            var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            services.AddSingleton(TimeProvider.System);
            services.AddOptions<PolicyOptions>().Bind(config.GetSection(PolicyOptions.Section)).ValidateOnStart();
            services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
            services.AddModerationClassifiers(config);
            services.AddSingleton<ModerationEngine>();
            using var provider = services.BuildServiceProvider();
            var engine = provider.GetRequiredService<ModerationEngine>();
            var policy = provider.GetRequiredService<IOptions<PolicyOptions>>().Value;
            var lists = config.GetSection("Moderation:Detection:DomainLists").GetChildren().Select(c => Path.GetFileName(c["Path"])).ToList();

            var wantSplit = parse.GetValue(split);
            var showMisses = parse.GetValue(misses);
            var perLabel = parse.GetValue(byLabel);
            var now = DateTimeOffset.UnixEpoch;
            var first = true;
            foreach (var file in parse.GetValue(data)!)
            {
                var rows = LabelledTsv.Read(file).Where(r => r.Category >= 0 && (wantSplit is null || HeldOutSplit.Of(r) == wantSplit)).ToList();
                var tallies = new SortedDictionary<(string Group, int Category), DecisionTally>();
                var missed = new Dictionary<int, List<string>>();
                var raisedBy = new SortedDictionary<string, int>(StringComparer.Ordinal);
                var watch = Stopwatch.StartNew();
                ModerationDecision? sample = null;
                for (var i = 0; i < rows.Count; i++)
                {
                    var row = rows[i];
                    var post = new PostRecord("evaluate", i.ToString(CultureInfo.InvariantCulture), 1, ServiceTypes.Other, "evaluate", null, row.Text, [], now, null, "192.0.2.1", null, now, "", now);
                    var decision = engine.Decide(post, policy, now);
                    sample ??= decision;
                    var rowGroup = perLabel ? (row.OrigLabel.Length == 0 ? "-" : row.OrigLabel) : row.Source;
                    foreach (var key in new[] { (rowGroup, row.Category), ("all", row.Category) })
                    {
                        if (!tallies.TryGetValue(key, out var t))
                            tallies[key] = t = new DecisionTally();
                        t.Add(row.Category, decision.Action, decision.Categories);
                    }

                    if (row.Category == 0 && decision.Action != ModerationActions.Pass)
                    {
                        // What raised a false alarm, counted by the kind of its first reason: tells which part to fix.
                        var kind = FalseAlarmSource.Of(decision.Reasons);
                        raisedBy[kind] = raisedBy.GetValueOrDefault(kind) + 1;
                    }

                    var wrong = row.Category == 0 ? decision.Action != ModerationActions.Pass : !(decision.Action != ModerationActions.Pass && decision.Categories.Contains(row.Category));
                    if (wrong && showMisses > 0 && (missed.TryGetValue(row.Category, out var list) ? list : missed[row.Category] = []).Count < showMisses)
                    {
                        missed[row.Category].Add($"  [{row.Category}→{decision.Action} {string.Join(",", decision.Categories)}] {row.Text}" +
                            (decision.Reasons.Count > 0 ? "  | " + string.Join("; ", decision.Reasons) : ""));
                    }
                }

                watch.Stop();
                if (first && sample is not null)
                {
                    Console.WriteLine($"versions: lexicon {sample.LexiconVersion}, model {sample.ModelVersion}, policy {sample.PolicyVersion}; domain lists: {(lists.Count == 0 ? "none" : string.Join(", ", lists))}");
                    first = false;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{file}: {rows.Count} rows{(wantSplit is null ? "" : $" (split {wantSplit})")}, {rows.Count / Math.Max(watch.Elapsed.TotalSeconds, 1e-9):N0} posts/s through every classifier and the policy"));
                Console.WriteLine(DecisionTally.Header);
                foreach (var group in tallies.GroupBy(t => t.Key.Group).OrderBy(g => g.Key == "all" ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal))
                {
                    foreach (var (key, tally) in group)
                        Console.WriteLine(tally.Line(key.Group, key.Category));
                }

                if (tallies.TryGetValue(("all", 0), out var clean))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"clean rows: {clean.Rows}, quarantined {100.0 * clean.Quarantine / clean.Rows:0.00}%, blocked {100.0 * clean.Block / clean.Rows:0.00}%"));
                    if (raisedBy.Count > 0)
                        Console.WriteLine("clean rows acted on, by what raised them first: " + string.Join(", ", raisedBy.Select(kv => $"{kv.Key} {kv.Value}")));
                }

                foreach (var (category, lines) in missed.OrderBy(m => m.Key))
                {
                    Console.WriteLine(category == 0 ? $"clean rows acted on (first {lines.Count}):" : $"category {category} rows not acted on in category {category} (first {lines.Count}):");
                    lines.ForEach(Console.WriteLine);
                }
            }

            return 0;
        });
        return command;
    }
}
