using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Banks;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Policy;
using Moderation.Pipeline;

namespace Moderation.Cli.Records;

/// <summary>
/// <c>replay</c>: re-decides stored records with the lexicon, model and policy configured now, and
/// reports every post whose action or categories would change — the way to see what a new lexicon or
/// threshold does to real traffic before it goes live. Content banks are the exception: each record is
/// matched against the banks as of the version its decision recorded (<see cref="ReplayBanks"/>). Nothing is written.
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
            // Content banks as each decision saw them (ReplayBanks points this provider at them record by record).
            var bankIndex = new BankIndexProvider(BankIndex.Empty());
            services.AddSingleton<IContentClassifier>(new BankClassifier(bankIndex));
            services.AddSingleton<ModerationEngine>();
            await using var provider = services.BuildServiceProvider();
            var engine = provider.GetRequiredService<ModerationEngine>();
            var policy = provider.GetRequiredService<IOptions<PolicyOptions>>().Value;

            var replayed = 0;
            var changed = 0;
            var transitions = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var banks = new ReplayBanks(filters.BankStore(parse), bankIndex);
            await foreach (var r in filters.Store(parse).ProduceAsync(filters.Query(parse), ct))
            {
                replayed++;
                var before = r.Post.Decision;
                if (await banks.UseAsync(before.BankVersion, ct) is { } why)
                    Console.Error.WriteLine($"{r.Post.Record.Platform}/{r.Post.Record.ContentId} v{r.Post.Record.Version}: cannot reproduce its banks: {why}");
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
                string.Join(", ", transitions.Select(t => $"{t.Key} {t.Value}")) +
                (banks.Unreproducible > 0 ? $"; {banks.Unreproducible} with banks that could not be reproduced (see standard error)" : ""));
            return 0;
        });
        return command;
    }
}
