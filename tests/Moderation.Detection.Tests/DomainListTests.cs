using Moderation.Contracts;
using Moderation.Detection.Hosting;
using Moderation.Detection.Links;
using Moderation.Detection.Patterns;

namespace Moderation.Detection.Tests;

/// <summary>Operator domain lists: parent-domain matching, the post's urls, hot reload, bad lines.</summary>
public sealed class DomainListTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private DomainListOptions List(string name, string content, int category = 7, string sub = "gambling") =>
        new() { Path = _dir.Write(name, content), Category = category, SubLabel = sub };

    [Fact]
    public void A_link_matches_a_list_through_any_parent_domain_in_the_text_and_in_the_urls()
    {
        var rules = DetectorRules.Load([DetectionOptions.DefaultDirectory], [List("gambling.txt", "# comment\nbadbet.example\n0.0.0.0 casino-x.example\nTRAILING.example.\n")]);

        var inText = SolicitationDetector.Detect(rules, "来玩 www.vip.badbet.example/reg 送彩金");
        var hit = Assert.Single(inText.Hits, h => h.Kind == HitKinds.Domain);
        Assert.Equal(("badbet.example", "www.vip.badbet.example", 7, "gambling"), (hit.Term, hit.Matched, hit.Category, hit.SubLabel));

        var obfuscated = SolicitationDetector.Detect(rules, "网址 casino-x 点 example");
        Assert.Single(obfuscated.Hits, h => h.Kind == HitKinds.Domain && h.Term == "casino-x.example");

        var inUrls = SolicitationDetector.Detect(rules, "看看这个", ["https://m.trailing.example/x?y=1"]);
        var urlHit = Assert.Single(inUrls.Hits, h => h.Kind == HitKinds.Domain);
        Assert.Equal((-1, -1, "trailing.example"), (urlHit.Start, urlHit.End, urlHit.Term));

        Assert.DoesNotContain(SolicitationDetector.Detect(rules, "notbadbet.example.org").Hits, h => h.Kind == HitKinds.Domain);
    }

    [Fact]
    public void A_listed_domain_alone_has_its_list_severity_and_with_a_lure_of_its_category_blocks()
    {
        var rules = DetectorRules.Load([DetectionOptions.DefaultDirectory], [List("g.txt", "badbet.example\n")]);
        Assert.Equal(2, SolicitationDetector.Detect(rules, "badbet.example").SeverityByCategory[7]);
        Assert.Equal(3, SolicitationDetector.Detect(rules, "百家乐 badbet.example").SeverityByCategory[7]);
    }

    [Fact]
    public void Ip_links_shorteners_and_risky_tlds_are_named_as_such_and_are_weak_alone()
    {
        var r = SolicitationDetector.Detect(Shipped.Rules, "看这个 https://t.cn/Ax9kQ 还有 1.2.3.4:8080 和 abc.top");
        Assert.Equal(["shortener", "ip-link", "risky-tld"], r.Contacts.OrderBy(c => c.Start).Select(c => c.Channel));
        Assert.Empty(r.SeverityByCategory);
        Assert.All(r.Hits, h => Assert.Equal(1, h.Severity));
    }

    [Fact]
    public void The_version_changes_with_the_list_contents()
    {
        var list = List("g.txt", "a.example\n");
        var before = DetectorRules.Load([DetectionOptions.DefaultDirectory], [list]).Version;
        File.WriteAllText(list.Path, "a.example\nb.example\n");
        var after = DetectorRules.Load([DetectionOptions.DefaultDirectory], [list]).Version;
        Assert.NotEqual(before, after);
        Assert.StartsWith("det-", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_domain_list_reloads_without_restart()
    {
        var list = List("g.txt", "old.example\n");
        using var provider = new DetectorRulesProvider([DetectionOptions.DefaultDirectory], [list], watch: false, TimeSpan.Zero, TimeProvider.System);
        var before = provider.Current;
        Assert.DoesNotContain(SolicitationDetector.Detect(before, "new.example").Hits, h => h.Kind == HitKinds.Domain);

        File.WriteAllText(list.Path, "old.example\nnew.example\n");
        Assert.True(provider.TryReload());

        Assert.NotEqual(before.Version, provider.Current.Version);
        Assert.Single(SolicitationDetector.Detect(provider.Current, "new.example").Hits, h => h.Kind == HitKinds.Domain);
        Assert.DoesNotContain(SolicitationDetector.Detect(before, "new.example").Hits, h => h.Kind == HitKinds.Domain); // in-flight posts keep their rules
    }

    [Fact]
    public async Task The_watcher_reloads_a_changed_domain_list()
    {
        var list = List("g.txt", "old.example\n");
        using var provider = new DetectorRulesProvider([DetectionOptions.DefaultDirectory], [list], watch: true, TimeSpan.FromMilliseconds(50), TimeProvider.System);
        var reloaded = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += (_, rules) => reloaded.TrySetResult(rules.Version);

        File.WriteAllText(list.Path, "old.example\nwatched.example\n");

        // Generous bound only so a broken watcher fails instead of hanging; not a timing assertion.
        var version = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(version, provider.Current.Version);
        Assert.Single(SolicitationDetector.Detect(provider.Current, "watched.example").Hits, h => h.Kind == HitKinds.Domain);
    }

    [Fact]
    public void A_bad_list_line_names_file_and_line_and_keeps_the_old_list()
    {
        var list = List("g.txt", "good.example\n");
        using var provider = new DetectorRulesProvider([DetectionOptions.DefaultDirectory], [list], watch: false, TimeSpan.Zero, TimeProvider.System);
        var version = provider.Current.Version;

        File.WriteAllText(list.Path, "good.example\nsecond.example\nnot a domain\nhttp://x.example/path\n");

        Assert.False(provider.TryReload());
        Assert.Equal(version, provider.Current.Version);
        Assert.Single(SolicitationDetector.Detect(provider.Current, "good.example").Hits, h => h.Kind == HitKinds.Domain);
        Assert.Equal([(list.Path, 3), (list.Path, 4)], provider.LastError!.Errors.Select(e => (e.File, e.Line)));

        File.WriteAllText(list.Path, "good.example\nsecond.example\n");
        Assert.True(provider.TryReload());
        Assert.Null(provider.LastError);
    }

    [Fact]
    public void A_bad_pattern_line_on_reload_keeps_the_old_patterns()
    {
        _dir.Write("p.tsv", "百家乐\t7\tgambling\t2\n");
        using var provider = new DetectorRulesProvider([_dir.Path], [], watch: false, TimeSpan.Zero, TimeProvider.System);
        var version = provider.Current.Version;
        var file = _dir.Write("p.tsv", "百家乐\t7\tgambling\t2\n时时彩\t77\tgambling\t2\n");

        Assert.False(provider.TryReload());
        Assert.Equal(version, provider.Current.Version);
        Assert.Equal((file, 2), provider.LastError!.Errors.Select(e => (e.File, e.Line)).Single());
    }

    [Fact]
    public void Host_names_are_checked_the_way_block_lists_write_them()
    {
        Assert.True(HostName.IsValid("a-b_c.example.com"));
        Assert.True(HostName.IsValid("anitokyo.t"));
        Assert.False(HostName.IsValid("localhost"));
        Assert.False(HostName.IsValid("a..b"));
        Assert.False(HostName.IsValid("例子.com"));
        Assert.Equal(["a.b.example.com", "b.example.com", "example.com", "com"], HostName.SelfAndParents("a.b.example.com"));
    }
}
