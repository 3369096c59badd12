using System.Text.Json;
using Moderation.Banks;
using Moderation.Cli.Records;
using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Pipeline.Banks;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;

namespace Moderation.Core.Tests.Decisions;

/// <summary>The bank version a decision carries, how bank hits act, and replay against the banks as of that version.</summary>
public sealed class BankVersionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    private const string Known = "据内部消息，下个月开始银行存款超过五万的都要查封审查，取钱需要开证明，赶紧转发给家人";
    private const string Copy = "据可靠内部消息😱下个月起银行存款超过五万的都要查封审查，取钱要开证明！！转发给家人";

    private static PostRecord Post(string body) => PostIntake.Accept(new ContentPublished
    {
        Platform = "p", ContentId = "c", ServiceType = "forum", AuthorId = "a", Body = body, PublishedAt = Now, SourceIp = "192.0.2.1",
    }, new IntakeOptions(), Now);

    private static BankIndexProvider Provider(long sequence, params ActiveBankEntry[] entries)
    {
        var provider = new BankIndexProvider(BankIndex.Empty());
        provider.Replace(BankIndex.Build(entries.Select(BankEntries.ToEntry)), sequence);
        return provider;
    }

    private static readonly ActiveBankEntry Rumour = new("cat6-rumours", 41, 6, "rumour", BankRules.Quarantine, 0.4, Known);

    [Fact]
    public void A_bank_hit_quarantines_and_its_version_fills_the_bank_slot_not_the_lexicon_version()
    {
        var provider = Provider(17, Rumour);
        var engine = new ModerationEngine([new BankClassifier(provider)]);

        var d = engine.Decide(Post(Copy), new PolicyOptions(), Now);

        Assert.Equal(ModerationActions.Quarantine, d.Action);
        Assert.Equal([6], d.Categories);
        var hit = Assert.Single(d.Hits);
        Assert.Equal(HitKinds.Bank, hit.Kind);
        Assert.Equal(("cat6-rumours", 41L), BankHits.Parse(hit) is { } p ? (p.Bank, p.EntryId) : default);
        Assert.StartsWith("6: bank match bank:cat6-rumours#41@", Assert.Single(d.Reasons), StringComparison.Ordinal);
        Assert.Equal("none", d.LexiconVersion);
        Assert.Equal($"17:{provider.Current.Version}", d.BankVersion);
        Assert.Equal(17L, BankClassifier.SequenceOf(d.BankVersion));
    }

    [Fact]
    public void A_decision_without_banks_serialises_exactly_as_before_and_one_with_banks_carries_its_version()
    {
        var without = new ModerationEngine([]).Decide(Post("hello"), new PolicyOptions(), Now);
        Assert.Null(without.BankVersion);
        Assert.DoesNotContain("bankVersion", EvidenceSnapshot.Create(Post("hello"), without).Json, StringComparison.Ordinal);
        Assert.DoesNotContain("bankVersion", JsonSerializer.Serialize(DecisionEvents.Moderated(Post("hello"), without), new JsonSerializerOptions(JsonSerializerDefaults.Web)), StringComparison.Ordinal);

        var with = new ModerationEngine([new BankClassifier(Provider(3, Rumour))]).Decide(Post(Copy), new PolicyOptions(), Now);
        var (json, _) = EvidenceSnapshot.Create(Post(Copy), with);
        Assert.Equal(with.BankVersion, EvidenceSnapshot.Read(json).Decision.BankVersion);
        Assert.Equal(with.BankVersion, DecisionEvents.Moderated(Post(Copy), with).BankVersion);
    }

    [Fact]
    public async Task Replay_matches_against_the_banks_as_of_the_recorded_version_and_says_when_it_cannot()
    {
        // Version 2 held the rumour; at version 3 it was disabled. A decision made at 2 must replay with it.
        var store = new StubBankStore(new() { [2] = [Rumour], [3] = [] });
        var recorded = BankClassifier.VersionOf(BankIndex.Build([BankEntries.ToEntry(Rumour)]), 2);
        var provider = new BankIndexProvider(BankIndex.Empty());
        var replay = new ReplayBanks(store, provider);
        var engine = new ModerationEngine([new BankClassifier(provider)]);

        Assert.Null(await replay.UseAsync(recorded, default));
        var again = engine.Decide(Post(Copy), new PolicyOptions(), Now);
        Assert.Equal(recorded, again.BankVersion);
        Assert.Equal(ModerationActions.Quarantine, again.Action);

        Assert.Contains("no bank version 99", await replay.UseAsync("99:bank-1-0000000000000000", default), StringComparison.Ordinal);
        Assert.Contains("rebuild as", await replay.UseAsync("2:bank-1-0000000000000000", default), StringComparison.Ordinal);
        Assert.Null(await replay.UseAsync(null, default));
        Assert.Equal(ModerationActions.Pass, engine.Decide(Post(Copy), new PolicyOptions(), Now).Action);
        Assert.Equal(2, replay.Unreproducible);
    }

    [Fact]
    public void Import_lines_unescape_tabs_newlines_and_backslashes_and_name_what_is_wrong()
    {
        var bank = new BankRecord(1, "b", 6, null, BankRules.Quarantine, 0.4, true, null, "x", Now, 1, 0);
        var (entries, errors) = BankImport.Read(new StringReader(Known + "\\n第二行\\t\\\\\tsrc\n"), false, "default", bank);
        Assert.Empty(errors);
        Assert.Equal(Known + "\n第二行\t\\", Assert.Single(entries).Text);
        Assert.Equal("src", entries[0].Source);

        (entries, errors) = BankImport.Read(new StringReader(Known + "\\x\n\n" + Known + "\\"), false, null, bank);
        Assert.Empty(entries);
        Assert.Equal(["line 1: unknown escape \\x (only \\t, \\n and \\\\)", "line 3: a backslash ends the field (write a backslash as \\\\)"], errors);

        (entries, errors) = BankImport.Read(new StringReader("{\"text\":\"" + Known + "\",\"url\":\"x\"}\nnot json"), true, null, bank);
        Assert.Empty(entries);
        Assert.Equal("line 1: unknown field \"url\" (text, source, note)", errors[0]);
        Assert.StartsWith("line 2: not valid JSON", errors[1], StringComparison.Ordinal);
    }

    private sealed class StubBankStore(Dictionary<long, ActiveBankEntry[]> versions) : IBankStore
    {
        public Task<BankContents?> LoadAsync(long? asOf, CancellationToken ct) =>
            Task.FromResult(asOf is { } v && versions.TryGetValue(v, out var e) ? new BankContents(v, e) : null);

        public Task<long> VersionAsync(CancellationToken ct) => Task.FromResult(versions.Keys.Max());
        public Task<BankDelta> ChangesSinceAsync(long since, CancellationToken ct) => throw new NotSupportedException();
        public Task<BankChangeResult> CreateBankAsync(ReviewActor actor, NewBank bank, CancellationToken ct) => throw new NotSupportedException();
        public Task<BankChangeResult> SetBankEnabledAsync(ReviewActor actor, string bank, bool enabled, string reason, CancellationToken ct) => throw new NotSupportedException();
        public Task<BankChangeResult> AddEntriesAsync(ReviewActor actor, string bank, string origin, IReadOnlyList<NewBankEntry> entries, CancellationToken ct) => throw new NotSupportedException();
        public Task<BankChangeResult> DisableEntryAsync(ReviewActor actor, long entryId, string reason, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<BankRecord>> ListBanksAsync(CancellationToken ct) => throw new NotSupportedException();
        public Task<BankRecord?> GetBankAsync(string bank, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<BankEntryRecord>> SearchEntriesAsync(BankEntryQuery query, CancellationToken ct) => throw new NotSupportedException();
    }
}
