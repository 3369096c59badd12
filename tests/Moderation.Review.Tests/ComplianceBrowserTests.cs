using System.Net.Http.Json;
using Microsoft.Playwright;
using Moderation.Contracts;
using static Microsoft.Playwright.Assertions;

namespace Moderation.Review.Tests;

/// <summary>
/// The compliance page in real headless Chromium (Debian's package), on a real loopback port, with fake time: an
/// overdue case shows red, and a declared incident shows its clock and how many records it froze.
/// </summary>
[Collection(KestrelApps.Collection)]
public sealed class ComplianceBrowserTests(KestrelComplianceAppFixture app) : IClassFixture<KestrelComplianceAppFixture>, IAsyncLifetime
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

    private async Task<IPage> Desk(string user)
    {
        // A context of its own, so a second tab (the print view) shares the session cookie.
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await LogIn(page, user);
        return page;
    }

    private static async Task LogIn(IPage page, string user)
    {
        await page.GotoAsync("/");
        await page.FillAsync("#login-name", user);
        await page.FillAsync("#login-password", ReviewAppFixture.Password);
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("#whoami")).ToContainTextAsync(user);
        await page.ClickAsync("header a[href='compliance.html']");
        await Expect(page.Locator("#desk")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_overdue_case_is_red_and_an_incident_shows_its_clock_and_frozen_records()
    {
        var platform = "desk-" + Guid.NewGuid().ToString("N")[..6];
        var overdue = await app.Fixtures.InsertAsync(new PostSpec
        {
            Platform = platform, ContentId = "late", Action = ModerationActions.Block, InQuarantine = false, AuthorId = "u-1",
            Body = "<img src=x onerror=alert(1)> 违禁 placeholder-term-a", Age = TimeSpan.FromHours(25),
        });
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "fresh", Action = ModerationActions.Block, InQuarantine = false, AuthorId = "u-1", Age = TimeSpan.FromHours(1) });
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "held", AuthorId = "u-1" });

        var page = await Desk("comp");
        await page.FillAsync("#case-platform", platform);
        await page.ClickAsync("#case-refresh");
        var rows = page.Locator("#case-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var late = rows.Filter(new LocatorFilterOptions { HasText = platform + " / late v1" });
        var fresh = rows.Filter(new LocatorFilterOptions { HasText = platform + " / fresh v1" });
        await Expect(late).ToHaveClassAsync("overdue");
        await Expect(late.Locator("td.clock")).ToHaveTextAsync("overdue by 1h 00m");
        await Expect(fresh.Locator("td.clock")).ToHaveTextAsync("23h 00m left");
        await Expect(fresh).Not.ToHaveClassAsync("overdue");
        Assert.Equal("rgb(255, 221, 221)", await late.Locator("td.clock").EvaluateAsync<string>("td => getComputedStyle(td).backgroundColor"));
        Assert.Equal("rgba(0, 0, 0, 0)", await fresh.Locator("td.clock").EvaluateAsync<string>("td => getComputedStyle(td).backgroundColor"));

        // The print view shows the post's markup as text, under the same CSP.
        var caseId = await late.GetAttributeAsync("data-case-id");
        var print = await page.Context.NewPageAsync();
        print.SetDefaultTimeout(15_000);
        await print.GotoAsync($"/api/compliance/cases/{caseId}/evidence.html");
        await Expect(print.Locator("pre.verbatim").Last).ToHaveTextAsync("<img src=x onerror=alert(1)> 违禁 placeholder-term-a");
        Assert.Equal(0, await print.Locator("img").CountAsync());

        // Declare an incident over the author's records: all three are frozen and a 24-hour clock starts.
        await page.FillAsync("#inc-platform", platform);
        await page.FillAsync("#inc-author", "u-1");
        await page.FillAsync("#inc-description", "批量发布违法信息 mass posting");
        await page.ClickAsync("#inc-declare");
        await Expect(page.Locator("#status")).ToContainTextAsync("3 record(s) frozen");
        var incident = page.Locator("#incident-table tbody tr").Filter(new LocatorFilterOptions { HasText = "platform " + platform });
        await Expect(incident.Locator("td.frozen")).ToHaveTextAsync("3");
        await Expect(incident.Locator("td.clock")).ToHaveTextAsync("24h 00m left");
        await Expect(incident.Locator("td.description")).ToHaveTextAsync("批量发布违法信息 mass posting");
        Assert.Equal(3L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM post_records WHERE platform = @p AND legal_hold", ("p", platform)));

        // A day later the incident's report is overdue: red (the 8-hour session has expired meanwhile: log in again).
        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(30));
        await page.ReloadAsync();
        await Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await LogIn(page, "comp");
        incident = page.Locator("#incident-table tbody tr").Filter(new LocatorFilterOptions { HasText = "platform " + platform });
        await Expect(incident).ToHaveClassAsync("overdue");
        await Expect(incident.Locator("td.clock")).ToHaveTextAsync("overdue by 0h 30m");
        await Expect(incident.Locator("td.frozen")).ToHaveTextAsync("3");

        // Recording the report stops the clock.
        await incident.GetByRole(AriaRole.Button, new() { Name = "Reported…" }).ClickAsync();
        await page.FillAsync("#report-authority", "网信办 CAC");
        await page.FillAsync("#report-reference", "CAC-INC-9");
        await page.ClickAsync("#report-ok");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Report recorded.");
        incident = page.Locator("#incident-table tbody tr").Filter(new LocatorFilterOptions { HasText = "platform " + platform });
        await Expect(incident.Locator("td.state")).ToHaveTextAsync("reported (网信办 CAC, CAC-INC-9)");
        await Expect(incident).Not.ToHaveClassAsync("overdue");
        _ = overdue;
    }

    [Fact]
    public async Task The_lawful_requests_section_lists_the_requests_as_text_and_auditors_get_no_declare_form()
    {
        var platform = "req-" + Guid.NewGuid().ToString("N")[..6];
        using var comp = app.ClientFor("comp");
        using var registered = await comp.PostAsJsonAsync("/api/compliance/requests", new
        {
            authority = "某市公安局网安支队 <b>", documentNumber = "公网调〔2026〕17号", legalBasis = "网络安全法第二十八条", platform, authorId = "suspect",
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);

        var page = await Desk("aud");
        await Expect(page.Locator("#requests h2")).ToHaveTextAsync("Lawful requests");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Loaded.");
        var item = page.Locator("#request-list li").Filter(new LocatorFilterOptions { HasText = "公网调〔2026〕17号" });
        await Expect(item).ToContainTextAsync("authority: 某市公安局网安支队 <b>");
        await Expect(item).ToContainTextAsync("status: pending");
        Assert.Equal(0, await page.Locator("#request-list b").CountAsync());
        // Auditors read only: no declaration form.
        await Expect(page.Locator("#incident-form")).ToBeHiddenAsync();
    }
}
