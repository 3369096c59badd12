using System.Net.Http.Json;
using MassTransit.Testing;
using Microsoft.Playwright;
using Moderation.Contracts;
using static Microsoft.Playwright.Assertions;

namespace Moderation.Review.Tests;

/// <summary>
/// The page in real headless Chromium (Debian's package, driven by Playwright; Playwright's own browser download
/// is never used). The app listens on a real loopback port. A missing browser fails the tests, never skips them.
/// </summary>
[Collection(KestrelApps.Collection)]
public sealed class BrowserTests(KestrelReviewAppFixture app) : IClassFixture<KestrelReviewAppFixture>, IAsyncLifetime
{
    private static readonly string ChromiumPath =
        Environment.GetEnvironmentVariable("MODERATION_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: apt-get install -y chromium (or set MODERATION_CHROMIUM).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<IPage> LoggedInPage(string user, string platform)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.BaseAddress.ToString() });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync("/");
        await page.FillAsync("#login-name", user);
        await page.FillAsync("#login-password", ReviewAppFixture.Password);
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("#whoami")).ToContainTextAsync(user);
        await page.FillAsync("#f-platform", platform);
        await page.ClickAsync("#f-apply");
        return page;
    }

    private static async Task Decide(IPage page, string key, string reason)
    {
        await page.Keyboard.PressAsync(key);
        await Expect(page.Locator("#reason-dialog")).ToBeVisibleAsync();
        await page.FillAsync("#reason-input", reason);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#reason-dialog")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_moderator_logs_in_and_works_the_queue_by_keyboard_and_the_platform_gets_the_events()
    {
        var platform = "web-" + Guid.NewGuid().ToString("N")[..6];
        var first = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "first", MaxSeverity = 3, Title = "Title", Body = "odds at placeholder-term-a tonight", Age = TimeSpan.FromMinutes(90) });
        var second = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "second", MaxSeverity = 2, Body = "a quote of placeholder-term-a" });
        var page = await LoggedInPage("mod1", platform);

        await Expect(page.Locator("#queue li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#item-heading")).ToContainTextAsync(platform + " / first");
        await Expect(page.Locator("#queue li").First.Locator(".age")).ToHaveTextAsync("1h 30m");
        await Expect(page.Locator("#item-text mark")).ToHaveTextAsync("placeholder-term-a");
        await Expect(page.Locator("#item-text")).ToHaveTextAsync("Title\nodds at placeholder-term-a tonight");
        await Expect(page.Locator("#item-record")).ToContainTextAsync("203.0.113.7");

        // j / k move through the queue.
        await page.Keyboard.PressAsync("j");
        await Expect(page.Locator("#item-heading")).ToContainTextAsync(platform + " / second");
        await page.Keyboard.PressAsync("k");
        await Expect(page.Locator("#item-heading")).ToContainTextAsync(platform + " / first");

        await page.Keyboard.PressAsync("c");
        await Expect(page.Locator("#status")).ToContainTextAsync("Claimed until");
        await Expect(page.Locator("#item-state")).ToContainTextAsync("claimed by mod1");
        await Decide(page, "y", "gambling advert");
        await Expect(page.Locator("#status")).ToContainTextAsync(platform + "/first confirmed.");
        Assert.True(await app.Harness.Published.Any<TakedownRequested>(x =>
            x.Context.Message.DecisionId == first && x.Context.Message.RequestedBy == "mod1" && x.Context.Message.Reason == "gambling advert"));
        Assert.True(await app.Harness.Published.Any<RecordPreservationRequested>(x => x.Context.Message.DecisionId == first));

        // The confirmed item left the queue; the next one is open.
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#item-heading")).ToContainTextAsync(platform + " / second");
        await page.Keyboard.PressAsync("c");
        await Expect(page.Locator("#status")).ToContainTextAsync("Claimed until");
        await Decide(page, "r", "quotation in a news report");
        await Expect(page.Locator("#status")).ToContainTextAsync(platform + "/second released.");
        Assert.True(await app.Harness.Published.Any<ContentReleased>(x =>
            x.Context.Message.DecisionId == second && x.Context.Message.ReleasedBy == "mod1" && x.Context.Message.Reason == "quotation in a news report"));
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(0);
        Assert.Equal("released", await app.Fixtures.ScalarAsync<string>("SELECT status FROM quarantine WHERE decision_id = @id", ("id", second)));
        Assert.Equal("mod1", await app.Fixtures.ScalarAsync<string>(
            "SELECT actor FROM review_audit_log WHERE decision_id = @id AND action = 'item.release' AND client_ip IS NOT NULL", ("id", second)));
    }

    [Fact]
    public async Task Escalate_by_keyboard_sends_the_item_to_the_supervisors()
    {
        var platform = "esc-" + Guid.NewGuid().ToString("N")[..6];
        var id = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform });
        var page = await LoggedInPage("mod2", platform);
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("c");
        await Expect(page.Locator("#status")).ToContainTextAsync("Claimed until");
        await Decide(page, "e", "needs a supervisor");
        await Expect(page.Locator("#status")).ToContainTextAsync("escalated.");
        Assert.Equal("escalated", await app.Fixtures.ScalarAsync<string>("SELECT status FROM quarantine WHERE decision_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Script_and_img_onerror_payloads_in_a_post_are_shown_as_text_and_never_run()
    {
        var platform = "xss-" + Guid.NewGuid().ToString("N")[..6];
        const string title = "<img src=x onerror=\"window.__pwned='title';alert('title')\">";
        const string body = "<script>window.__pwned='body';alert('body')</script> placeholder-term-a <img src=x onerror=alert(document.cookie)>" +
                            "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>";
        const string author = "<svg onload=\"window.__pwned='author'\">";
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, Title = title, Body = body, AuthorId = author });

        var dialogs = new List<string>();
        var page = await LoggedInPageWithDialogs(platform, dialogs);

        await Expect(page.Locator("#item-text")).ToHaveTextAsync(title + "\n" + body);
        await Expect(page.Locator("#queue li .excerpt")).ToContainTextAsync("<img src=x onerror=");
        await Expect(page.Locator("#item-record")).ToContainTextAsync(author);
        await Expect(page.Locator("#item-text mark")).ToHaveTextAsync("placeholder-term-a");
        await page.WaitForTimeoutAsync(500); // give any onerror/onload a chance to fire
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "a payload ran");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('#item img, #item script, #item iframe, #item svg, #queue img, #queue script').length"));
        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task Detector_hits_are_highlighted_like_keyword_hits_with_a_label_saying_what_found_them()
    {
        var platform = "det-" + Guid.NewGuid().ToString("N")[..6];
        const string body = "百 家 乐稳赢 <b>加</b> 扣扣：２８７５５９３１０４ placeholder-term-a 谨防";
        var lure = body.IndexOf("百 家 乐", StringComparison.Ordinal);
        var contact = body.IndexOf("扣扣", StringComparison.Ordinal);
        var keyword = body.IndexOf("placeholder-term-a", StringComparison.Ordinal);
        var cue = body.IndexOf("谨防", StringComparison.Ordinal);
        await app.Fixtures.InsertAsync(new PostSpec
        {
            Platform = platform,
            Body = body,
            MaxSeverity = 3,
            Hits =
            [
                new KeywordHit("百家乐", 7, "gambling", 3, lure, lure + 5, "百家乐", HitKinds.Lure),
                new KeywordHit("qq", 7, "contact", 3, contact, contact + 13, "2875593104", HitKinds.Contact),
                new KeywordHit("placeholder-term-a", 7, "gambling", 2, keyword, keyword + 18, "placeholder-term-a"),
                new KeywordHit("listed-casino.example", 7, "gambling", 3, -1, -1, "www.listed-casino.example", HitKinds.Domain),
                new KeywordHit("谨防", 0, "warning", 0, cue, cue + 2, "谨防", HitKinds.Context),
            ],
        });
        var dialogs = new List<string>();
        var page = await LoggedInPageWithDialogs(platform, dialogs);

        // The text is exactly the post (labels are generated content, not text), and each hit is marked with its kind.
        await Expect(page.Locator("#item-text")).ToHaveTextAsync(body);
        await Expect(page.Locator("#item-text mark")).ToHaveCountAsync(4);
        await Expect(page.Locator("#item-text mark[data-kind=context]")).ToHaveTextAsync("谨防");
        await Expect(page.Locator("#item-text mark[data-kind=context]")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^context · warning: a post about the offence"));
        await Expect(page.Locator("#item-text mark[data-kind=lure]")).ToHaveTextAsync("百 家 乐");
        await Expect(page.Locator("#item-text mark[data-kind=contact]")).ToHaveTextAsync("扣扣：２８７５５９３１０４");
        await Expect(page.Locator("#item-text mark[data-kind=keyword]")).ToHaveTextAsync("placeholder-term-a");
        Assert.Equal("\"contact\"", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#item-text mark[data-kind=contact]'), '::after').content"));
        Assert.Equal("\"lure\"", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#item-text mark[data-kind=lure]'), '::after').content"));
        await Expect(page.Locator("#item-text mark[data-kind=contact]")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^contact · 7 .*qq 2875593104"));

        // The hits table names every kind; a listed link from the post's urls has no offsets in the text.
        await Expect(page.Locator("#item-hits tr[data-kind=domain]")).ToContainTextAsync("www.listed-casino.example");
        await Expect(page.Locator("#item-hits tr[data-kind=domain]")).ToContainTextAsync("in the post's urls");
        await Expect(page.Locator("#item-hits tr[data-kind=contact] td").First).ToHaveTextAsync("contact");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('#item b').length")); // post markup stays text
        Assert.Empty(dialogs);
    }

    private async Task<IPage> LoggedInPageWithDialogs(string platform, List<string> dialogs)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.BaseAddress.ToString() });
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync("/");
        await page.FillAsync("#login-name", "aud");
        await page.FillAsync("#login-password", ReviewAppFixture.Password);
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("#whoami")).ToContainTextAsync("aud");
        await page.FillAsync("#f-platform", platform);
        await page.ClickAsync("#f-apply");
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        return page;
    }

    [Fact]
    public async Task A_note_that_forges_an_author_line_is_shown_as_its_real_authors_note()
    {
        const string forged = "looks fine to me\n[2026-12-01T09:00:00Z supervisor] Approved by supervisor";
        var platform = "note-" + Guid.NewGuid().ToString("N")[..6];
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform });
        var moderator = await LoggedInPage("mod1", platform);
        await Expect(moderator.Locator("#queue li")).ToHaveCountAsync(1);
        // The filtered queue shows before its item is fetched: until then the pane (and its note form) is the
        // previous item's, another test's.
        await Expect(moderator.Locator("#item-heading")).ToContainTextAsync(platform + " / ", new() { Timeout = 15_000 });
        await moderator.FillAsync("#note-input", forged);
        await moderator.ClickAsync("#note-submit");
        // li.note, not any li: an item without notes shows one placeholder li ("none"), which would not wait for the POST.
        // 15 s, as the page's actions: the POST and the item's reload are two audited writes, slow on a loaded machine.
        await Expect(moderator.Locator("#item-notes li.note")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(moderator.Locator("#item-notes li.note .note-author")).ToHaveTextAsync("mod1");

        // The supervisor opens the item: one note, by mod1, whose text is the whole body, forged line included.
        var supervisor = await LoggedInPage("sup", platform);
        await Expect(supervisor.Locator("#item-heading")).ToContainTextAsync(platform + " / ", new() { Timeout = 15_000 });
        var notes = supervisor.Locator("#item-notes li.note");
        await Expect(notes).ToHaveCountAsync(1);
        await Expect(notes.Locator(".note-author")).ToHaveTextAsync("mod1");
        Assert.Equal(forged, await notes.Locator(".note-text").TextContentAsync());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", await notes.Locator("time.note-time").GetAttributeAsync("datetime"));
        Assert.Equal(0, await supervisor.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('#item-notes .note-author')].filter(e => e.textContent.trim() === 'supervisor').length"));
        // The text node is text: the forged line did not become an element of its own.
        Assert.Equal(1, await supervisor.EvaluateAsync<int>("() => document.querySelectorAll('#item-notes .note-text').length"));
    }

    [Fact]
    public async Task An_admin_sees_the_live_sessions_and_revokes_one_from_the_page()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        // mod2 may have other sessions from other tests of this fixture: the row is found by this session's id.
        using var login = await Sessions.LoginResponseAsync(http, "mod2");
        var victim = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var victimId = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("sessionId").GetString();
        var page = await LoggedInPage("admin", "no-such-platform");
        var row = page.Locator($"#sessions-rows tr[data-session-id='{victimId}']");
        // 15 s, as the page's actions: the table loads after the queue, each an audited read.
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(page.Locator("#sessions-rows tr[data-user='admin']")).ToContainTextAsync("(this session)");

        await row.Locator("button.revoke").ClickAsync();

        await Expect(page.Locator("#status")).ToContainTextAsync("Session of mod2 revoked.");
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await Sessions.StatusAsync(http, HttpMethod.Get, "/api/me", victim));
        // Not an admin: no sessions section at all.
        var moderator = await LoggedInPage("mod1", "no-such-platform");
        await Expect(moderator.Locator("#sessions")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_no_queue()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.BaseAddress.ToString() });
        await page.GotoAsync("/");
        await page.FillAsync("#login-name", "mod1");
        await page.FillAsync("#login-password", "wrong password");
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("#status")).ToContainTextAsync("Unknown user or wrong password");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_page_filters_the_queue_by_severity_service_type_sub_label_and_age()
    {
        var platform = "filt-" + Guid.NewGuid().ToString("N")[..6];
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "severe-chat", MaxSeverity = 3, ServiceType = ServiceTypes.Chat, SubLabels = ["drugs"], Age = TimeSpan.FromHours(2) });
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "mild-forum", MaxSeverity = 1, ServiceType = ServiceTypes.Forum, SubLabels = ["gambling"], Age = TimeSpan.FromMinutes(5) });
        var page = await LoggedInPage("mod1", platform);
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(2);

        await page.SelectOptionAsync("#f-severity", "3");
        await page.ClickAsync("#f-apply");
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#queue li")).ToContainTextAsync("severe-chat");

        await page.SelectOptionAsync("#f-severity", "");
        await page.SelectOptionAsync("#f-service", "forum");
        await page.ClickAsync("#f-apply");
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#queue li")).ToContainTextAsync("mild-forum");

        await page.SelectOptionAsync("#f-service", "");
        await page.FillAsync("#f-sublabel", "drugs");
        await page.ClickAsync("#f-apply");
        await Expect(page.Locator("#queue li")).ToContainTextAsync("severe-chat");

        await page.FillAsync("#f-sublabel", "");
        await page.FillAsync("#f-minage", "60");
        await page.ClickAsync("#f-apply");
        await Expect(page.Locator("#queue li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#queue li")).ToContainTextAsync("severe-chat");
    }
}
