using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Moderation.Banks;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Pipeline.Banks;
using Moderation.Review.Api;
using Moderation.Storage;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;

namespace Moderation.Integration.Tests.Banks;

/// <summary>
/// What the content-bank store must do, on both providers: versions that move with every change, contents as of
/// any version (replay), deltas a worker applies, confirm fills and release empties in the decision's own
/// transaction, all-or-nothing import, and an audit row for every change.
/// </summary>
public abstract class BankStoreContract
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Now);

    protected abstract IModerationStore Store { get; }
    protected abstract IBankStore Banks { get; }
    protected abstract IReviewCommands Commands(BankFiling filing);
    protected abstract IAuditLog Audit { get; }

    /// <summary>Tries to rewrite a bank toggle with raw SQL; returns the database's refusal (null where it allowed it).</summary>
    protected abstract Task<string?> TryRewriteTogglesAsync();

    private static readonly ReviewActor Supervisor = new("sup", ["supervisor"], "password", "192.0.2.11", "test-agent", MaySupervise: true);
    private static readonly ReviewActor Moderator = new("mod1", ["moderator"], "api-key", "192.0.2.10", null, MaySupervise: false);

    private static readonly BankFiling Filing = new(new BankFilingOptions(), BankApi.TextProblem);

    // A scam script and a variant of it as the next copy would read (new number, swapped words, emoji).
    private const string Script = "您好，我是某宝平台客服，您的订单出现异常，需要添加理赔专员微信办理退款，逾期将视为自动放弃，请尽快联系。";
    private const string Copy = "您好！我是某宝平台的客服😀您的订单出现异常，需添加理赔专员薇信办理退款，逾期视为自动放弃，请尽快联系138 0000 1111";

    private static BankIndex Index(BankContents contents) => BankEntries.Build(contents, new BankIndexOptions(), 1).Index;

    private async Task<IReadOnlyList<BankMatch>> MatchNowAsync(string text) => Index((await Banks.LoadAsync(null, default))!).Match(text);

    [Fact]
    public async Task Every_change_takes_the_next_version_and_contents_can_be_read_as_of_any_version()
    {
        Assert.Equal(0, await Banks.VersionAsync(default));
        var created = await Banks.CreateBankAsync(Supervisor, new NewBank("cat9-scripts", 9, "scam", BankRules.Block, 0.4, "known scam scripts"), default);
        Assert.Equal((Outcome.Done, 1L), (created.Outcome, created.Version));
        var added = await Banks.AddEntriesAsync(Supervisor, "cat9-scripts", BankRules.OriginManual, [new NewBankEntry(Script, "case 17", "seen on 3 platforms")], default);
        Assert.Equal(2, added.Version);
        var entryId = Assert.Single(added.EntryIds);
        Assert.Equal(Outcome.Done, (await Banks.DisableEntryAsync(Supervisor, entryId, "superseded", default)).Outcome);
        Assert.Equal(3, await Banks.VersionAsync(default));

        Assert.Empty((await Banks.LoadAsync(null, default))!.Entries);
        var asOf2 = (await Banks.LoadAsync(2, default))!;
        var entry = Assert.Single(asOf2.Entries);
        Assert.Equal(new ActiveBankEntry("cat9-scripts", entryId, 9, "scam", BankRules.Block, 0.4, Script), entry);
        Assert.Empty((await Banks.LoadAsync(1, default))!.Entries);
        Assert.Null(await Banks.LoadAsync(99, default));

        var stored = Assert.Single(await Banks.SearchEntriesAsync(new BankEntryQuery(Bank: "cat9-scripts"), default));
        Assert.Equal((BankRules.Disabled, "sup", "superseded", 3L, "case 17"), (stored.State, stored.EndedBy, stored.EndReason, stored.EndedVersion, stored.Source));
        Assert.Equal(Outcome.Conflict, (await Banks.DisableEntryAsync(Supervisor, entryId, "again", default)).Outcome);
        Assert.Equal(Outcome.Conflict, (await Banks.CreateBankAsync(Supervisor, new NewBank("cat9-scripts", 9, null, BankRules.Block, 0.4, null), default)).Outcome);
    }

    [Fact]
    public async Task A_worker_applying_the_deltas_holds_exactly_what_a_fresh_load_holds()
    {
        var provider = new BankIndexProvider(BankIndex.Empty());
        var options = new BankIndexOptions();
        async Task CatchUpAsync() => BankEntries.Apply(provider, await Banks.ChangesSinceAsync(provider.Sequence, default), options);
        async Task AssertSameAsFreshLoadAsync()
        {
            await CatchUpAsync();
            var fresh = Index((await Banks.LoadAsync(null, default))!);
            Assert.Equal(fresh.Version, provider.Current.Version);
            Assert.Equal(await Banks.VersionAsync(default), provider.Sequence);
        }

        await Banks.CreateBankAsync(Supervisor, new NewBank("rumours", 6, "rumour", BankRules.Quarantine, 0.4, null), default);
        var ids = (await Banks.AddEntriesAsync(Supervisor, "rumours", BankRules.OriginImport,
            [new NewBankEntry("据内部消息，下个月开始银行存款超过五万的都要查封审查，取钱需要开证明，赶紧转发给家人", null, null),
             new NewBankEntry(Script, null, null)], default)).EntryIds;
        await AssertSameAsFreshLoadAsync();
        Assert.Equal(2, provider.Current.Count);

        await Banks.DisableEntryAsync(Supervisor, ids[0], "debunk was wrong", default);
        await AssertSameAsFreshLoadAsync();
        Assert.Equal(1, provider.Current.Count);

        await Banks.SetBankEnabledAsync(Supervisor, "rumours", false, "paused", default);
        await AssertSameAsFreshLoadAsync();
        Assert.Equal(0, provider.Current.Count);
        Assert.Empty(provider.Current.Match(Copy));

        await Banks.SetBankEnabledAsync(Supervisor, "rumours", true, "resumed", default);
        await AssertSameAsFreshLoadAsync();
        Assert.Equal(ids[1], Assert.Single(provider.Current.Match(Copy)).Entry.EntryId);

        var nothingNew = await Banks.ChangesSinceAsync(provider.Sequence, default);
        Assert.True(nothingNew.IsEmpty);
    }

    [Fact]
    public async Task Confirm_fills_the_category_bank_a_copy_matches_its_release_removes_the_entry_and_nothing_matches()
    {
        var platform = "bk-" + Guid.NewGuid().ToString("N")[..8];
        var first = await HeldAsync(platform, "orig", Script, [new KeywordHit("理赔", 9, "fraud", 2, 20, 22, "理赔")], categories: [6, 9]);
        var commands = Commands(Filing);
        await ConfirmAsync(commands, first.Decision.DecisionId);

        // Held for two categories: the text goes into both categories' banks, created on first use in one change.
        var banks = await Banks.ListBanksAsync(default);
        Assert.Equal(["confirmed-6", "confirmed-9"], banks.Select(b => b.Name));
        var bank = banks[1];
        Assert.Equal(("confirmed-9", 9, BankRules.Quarantine, true, 1L), (bank.Name, bank.Category, bank.Action, bank.Enabled, bank.ActiveEntries));
        Assert.Equal(1, await Banks.VersionAsync(default));
        await Banks.SetBankEnabledAsync(Supervisor, "confirmed-6", false, "only the scam bank here", default);
        var entry = Assert.Single(await Banks.SearchEntriesAsync(new BankEntryQuery(Bank: "confirmed-9"), default));
        Assert.Equal((BankRules.OriginConfirm, (Guid?)first.Decision.DecisionId, "mod1", Script), (entry.Origin, entry.DecisionId, entry.AddedBy, entry.Text));

        // A copy is matched against what the worker would load now: the confirmed entry holds it.
        var provider = new BankIndexProvider(Index((await Banks.LoadAsync(null, default))!), null);
        var hit = Assert.Single(new BankClassifier(provider).Classify(Copy).Hits);
        Assert.Equal((HitKinds.Bank, 9, 2), (hit.Kind, hit.Category, hit.Severity));
        Assert.StartsWith($"bank:confirmed-9#{entry.EntryId}@", hit.Term, StringComparison.Ordinal);

        // A moderator releases the copy: that text is fine after all, so the entry that held it comes out.
        var copy = await HeldAsync(platform, "copy", Copy, [hit]);
        await ReleaseAsync(commands, copy.Decision.DecisionId);
        var removed = Assert.Single(await Banks.SearchEntriesAsync(new BankEntryQuery(Bank: "confirmed-9"), default));
        Assert.Equal((BankRules.Removed, "mod1"), (removed.State, removed.EndedBy));
        Assert.Empty(await MatchNowAsync(Copy));
        Assert.Empty(await MatchNowAsync(Script));

        // Both changes are in the audit log, tied to the decisions that made them.
        var audit = await Audit.ListAsync(null, null, null, 100, default);
        Assert.Contains(audit, a => a.Action == BankAuditActions.AddEntries && a.DecisionId == first.Decision.DecisionId);
        Assert.Contains(audit, a => a.Action == BankAuditActions.RemoveEntries && a.DecisionId == copy.Decision.DecisionId);
    }

    [Fact]
    public async Task A_text_too_short_to_match_or_a_copy_of_an_entry_is_not_banked_on_confirm()
    {
        var platform = "bk-" + Guid.NewGuid().ToString("N")[..8];
        var commands = Commands(Filing);
        var shortOne = await HeldAsync(platform, "short", "加微信", [new KeywordHit("微信", 9, "fraud", 2, 7, 9, "微信")]);
        await ConfirmAsync(commands, shortOne.Decision.DecisionId);
        Assert.Empty(await Banks.SearchEntriesAsync(new BankEntryQuery(), default));

        var copyHit = new KeywordHit("bank:confirmed-9#1@0.95", 9, null, 2, 7, 40, "x", HitKinds.Bank);
        var nearCopy = await HeldAsync(platform, "near", Script, [copyHit]);
        await ConfirmAsync(commands, nearCopy.Decision.DecisionId);
        Assert.Empty(await Banks.SearchEntriesAsync(new BankEntryQuery(), default));
        var audit = await Audit.ListAsync(nearCopy.Decision.DecisionId, null, null, 10, default);
        Assert.Contains("already held as a copy", Assert.Single(audit, a => a.Action == AuditActions.Confirm).Details.GetProperty("banks").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_with_a_bad_line_names_the_line_and_imports_nothing()
    {
        await Banks.CreateBankAsync(Supervisor, new NewBank("cat6-rumours", 6, "rumour", BankRules.Quarantine, 0.4, null), default);
        var file = string.Join('\n',
            "# debunked rumours, 2026-12",
            "据内部消息，下个月开始银行存款超过五万的都要查封审查，取钱需要开证明\tpiyao.example/1\tnational fact-check",
            "",
            "全面封城",                                           // line 4: too short to ever match
            "紧急通知：自来水公司说明天全市停水三天，请大家提前储水，转发给身边的人\tpiyao.example/2\tnote\textra", // line 5: four fields
            "网传某地发生大规模疫情，医院已经住满病人，政府封锁消息，大家千万不要出门");

        var result = await BankImport.ImportAsync(Banks, Supervisor, "cat6-rumours", new StringReader(file), jsonLines: false, "cli default", default);

        Assert.False(result.Imported);
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("line 4: ", result.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("line 5: 4 tab-separated fields", result.Errors[1], StringComparison.Ordinal);
        Assert.Empty(await Banks.SearchEntriesAsync(new BankEntryQuery(Bank: "cat6-rumours"), default));
        Assert.Equal(1, await Banks.VersionAsync(default));

        var good = string.Join('\n', file.Split('\n').Where((_, i) => i is not (3 or 4)));
        var ok = await BankImport.ImportAsync(Banks, Supervisor, "cat6-rumours", new StringReader(good), jsonLines: false, "cli default", default);
        Assert.True(ok.Imported, string.Join("; ", ok.Errors));
        Assert.Equal((2, 2L), (ok.Count, ok.Version));
        var entries = await Banks.SearchEntriesAsync(new BankEntryQuery(Bank: "cat6-rumours"), default);
        Assert.Equal(["cli default", "piyao.example/1"], entries.Select(e => e.Source!).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(BankRules.OriginImport, e.Origin));

        var jsonl = "{\"text\": \"据内部消息，下个月开始银行存款超过五万的都要查封审查\", \"source\": \"x\"}\n{\"text\": 5}";
        var bad = await BankImport.ImportAsync(Banks, Supervisor, "cat6-rumours", new StringReader(jsonl), jsonLines: true, null, default);
        Assert.Equal(["line 2: \"text\" is not a string"], bad.Errors);
        Assert.Equal(2, (await Banks.SearchEntriesAsync(new BankEntryQuery(Bank: "cat6-rumours"), default)).Count);
    }

    [Fact]
    public async Task Every_bank_change_is_in_the_audit_log_with_its_version()
    {
        await Banks.CreateBankAsync(Supervisor, new NewBank("cat7-ads", 7, "gambling", BankRules.Block, 0.5, null), default);
        var ids = (await Banks.AddEntriesAsync(Supervisor, "cat7-ads", BankRules.OriginManual, [new NewBankEntry(Script, null, null)], default)).EntryIds;
        await BankImport.ImportAsync(Banks, Supervisor, "cat7-ads", new StringReader(Copy), false, "file.tsv", default);
        await Banks.DisableEntryAsync(Supervisor, ids[0], "wrong bank", default);
        await Banks.SetBankEnabledAsync(Supervisor, "cat7-ads", false, "paused", default);
        await Banks.SetBankEnabledAsync(Supervisor, "cat7-ads", true, "resumed", default);

        var audit = (await Audit.ListAsync(null, "sup", null, 100, default)).Reverse().ToList();
        Assert.Equal([BankAuditActions.Create, BankAuditActions.AddEntries, BankAuditActions.AddEntries, BankAuditActions.DisableEntry, BankAuditActions.Disable, BankAuditActions.Enable],
            audit.Select(a => a.Action));
        Assert.Equal([1L, 2, 3, 4, 5, 6], audit.Select(a => a.Details.GetProperty("version").GetInt64()));
        Assert.Equal("import", audit[2].Details.GetProperty("origin").GetString());
        Assert.Equal("wrong bank", audit[3].Details.GetProperty("reason").GetString());
        Assert.All(audit, a => Assert.Equal("cat7-ads", a.Details.GetProperty("bank").GetString()));
        Assert.NotNull(await TryRewriteTogglesAsync());
    }

    private async Task ConfirmAsync(IReviewCommands commands, Guid id)
    {
        Assert.Equal(Outcome.Done, (await commands.ClaimAsync(Moderator, id, TimeSpan.FromMinutes(5), maxOpenClaims: 20, default)).Outcome);
        var result = await commands.DecideAsync(Moderator, id, new DecideCommand(ReviewActions.Confirm, "scam script", null, null), false, TimeSpan.FromHours(24), default);
        Assert.Equal(Outcome.Done, result.Outcome);
    }

    private async Task ReleaseAsync(IReviewCommands commands, Guid id)
    {
        Assert.Equal(Outcome.Done, (await commands.ClaimAsync(Moderator, id, TimeSpan.FromMinutes(5), maxOpenClaims: 20, default)).Outcome);
        var result = await commands.DecideAsync(Moderator, id, new DecideCommand(ReviewActions.Release, "a warning quoting the script", null, null), false, TimeSpan.FromHours(24), default);
        Assert.Equal(Outcome.Done, result.Outcome);
    }

    private async Task<ModeratedPost> HeldAsync(string platform, string contentId, string body, IReadOnlyList<KeywordHit> hits, int[]? categories = null)
    {
        var at = Time.GetUtcNow() - TimeSpan.FromMinutes(5);
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = platform, ContentId = contentId, ServiceType = ServiceTypes.Forum, AuthorId = "a-1", Title = null, Body = body,
            Urls = [], PublishedAt = at.AddSeconds(-3), SourceIp = "198.51.100.9", SourcePort = 5555,
        }, new IntakeOptions { RetentionDays = 60 }, at);
        var decision = new ModerationDecision(DeterministicIds.Decision(platform, contentId, 1), ModerationActions.Quarantine, categories ?? [9],
            [], hits, ["9: test"], "lex", "model", "policy", at);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);
        var post = new ModeratedPost(record, decision, json, sha, at + TimeSpan.FromHours(24));
        Assert.True(Assert.Single(await Store.SaveAsync([post], default)).Inserted);
        return post;
    }
}
