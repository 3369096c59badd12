using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Core.Decisions;
using Moderation.Core.Policy;
using Moderation.Pipeline;

namespace Moderation.Cli.Records;

/// <summary>
/// <c>replay</c>: re-decides stored records with the lexicon, model and policy configured now, and
/// reports every post whose action or categories would change — the way to see what a new lexicon or
/// threshold does to real traffic before it goes live. Nothing is written.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var filters = RecordsCommand.Filters.Create();
        var settings = new Option<string?>("--settings") { Description = "A JSON file with the Moderation:Policy/Keywords/Model settings to try, layered over the worker's appsettings.json." };
        var command = new Command("replay", "Re-decide stored records with the current lexicon, model and policy and report what would change.") { settings };
        filters.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            // The candidate file is layered over the worker's own settings, so it need only hold what changes.
            var config = WorkerSettings.Build(parse.GetValue(settings));
            var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            services.AddSingleton(TimeProvider.System);
            services.AddOptions<PolicyOptions>().Bind(config.GetSection(PolicyOptions.Section)).ValidateOnStart();
            services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
            services.AddModerationClassifiers(config);
            services.AddSingleton<ModerationEngine>();
            await using var provider = services.BuildServiceProvider();
            var engine = provider.GetRequiredService<ModerationEngine>();
            var policy = provider.GetRequiredService<IOptions<PolicyOptions>>().Value;

            var replayed = 0;
            var changed = 0;
            var transitions = new SortedDictionary<string, int>(StringComparer.Ordinal);
            await foreach (var r in filters.Store(parse).ProduceAsync(filters.Query(parse), ct))
            {
                replayed++;
                var before = r.Post.Decision;
                var after = engine.Decide(r.Post.Record, policy, before.DecidedAt);
                var key = $"{before.Action} -> {after.Action}";
                transitions[key] = transitions.GetValueOrDefault(key) + 1;
                if (after.Action == before.Action && after.Categories.SequenceEqual(before.Categories))
                    continue;
                changed++;
                Console.WriteLine($"{r.Post.Record.Platform}/{r.Post.Record.ContentId} v{r.Post.Record.Version}: " +
                    $"{before.Action} [{string.Join(",", before.Categories)}] ({before.LexiconVersion}, {before.ModelVersion}, {before.PolicyVersion}) -> " +
                    $"{after.Action} [{string.Join(",", after.Categories)}] ({after.LexiconVersion}, {after.ModelVersion}, {after.PolicyVersion}): " +
                    string.Join("; ", after.Reasons));
            }
            filters.WarnIfTruncated(parse, replayed);
            Console.WriteLine($"replayed {replayed} record(s), {changed} would change: " +
                string.Join(", ", transitions.Select(t => $"{t.Key} {t.Value}")));
            return 0;
        });
        return command;
    }
}
