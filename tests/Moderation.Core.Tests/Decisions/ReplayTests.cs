using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Pipeline;

namespace Moderation.Core.Tests.Decisions;

/// <summary>
/// A decision read back from its evidence snapshot and decided again with the same shipped lexicon,
/// model and policy comes out the same: what `moderation replay` relies on to show only real changes.
/// </summary>
public sealed class ReplayTests
{
    [Fact]
    public void Stored_decisions_replay_identically_with_the_same_lexicon_model_and_policy()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddModerationClassifiers(new ConfigurationBuilder().Build());
        services.AddSingleton<ModerationEngine>();
        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<ModerationEngine>();
        var policy = new PolicyOptions();
        var now = new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
        var samples = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "posts.jsonl"))
            .Select(l => JsonSerializer.Deserialize<ContentPublished>(l, new JsonSerializerOptions(JsonSerializerDefaults.Web))!)
            .Where(p => p.ServiceType != "blog" && p.SourceIp != "not-an-ip")
            .ToList();

        var actions = new List<string>();
        foreach (var sample in samples)
        {
            var record = PostIntake.Accept(sample with { PublishedAt = now }, new IntakeOptions(), now);
            var first = engine.Decide(record, policy, now);
            var (json, _) = EvidenceSnapshot.Create(record, first);
            var (storedRecord, stored) = EvidenceSnapshot.Read(json);

            var again = engine.Decide(storedRecord, policy, stored.DecidedAt);

            Assert.Equal(stored.Action, again.Action);
            Assert.Equal(stored.Categories, again.Categories);
            Assert.Equal(stored.Hits, again.Hits);
            Assert.Equal(stored.LexiconVersion, again.LexiconVersion);
            Assert.Equal(stored.ModelVersion, again.ModelVersion);
            actions.Add(again.Action);
        }
        // The samples exercise every outcome, so the comparison above is not vacuous.
        Assert.Contains(ModerationActions.Block, actions);
        Assert.Contains(ModerationActions.Quarantine, actions);
        Assert.Contains(ModerationActions.Pass, actions);
    }
}
