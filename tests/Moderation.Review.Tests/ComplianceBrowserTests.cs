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
    public async Task The_lawful_requests_section_lists_the_requests_as_text_and_auditors_get_no_buttons()
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
        var row = page.Locator("#request-table tbody tr").Filter(new LocatorFilterOptions { HasText = "公网调〔2026〕17号" });
        await Expect(row.Locator("td.authority")).ToHaveTextAsync("某市公安局网安支队 <b>");
        await Expect(row.Locator("td.state")).ToHaveTextAsync("pending");
        await Expect(row).ToContainTextAsync("platform " + platform + ", author suspect");
        Assert.Equal(0, await page.Locator("#request-table b").CountAsync());
        // Auditors read only: no declaration form, no Approve / Reject.
        await Expect(page.Locator("#incident-form")).ToBeHiddenAsync();
        Assert.Equal(0, await row.Locator("button").CountAsync());
    }

    /// <summary>Registers a lawful request with the page's own session (so the registering officer is the page's user).</summary>
    private static async Task<string> RegisterAsync(IPage page, string platform, string documentNumber)
    {
        var response = await page.Context.APIRequest.PostAsync("/api/compliance/requests", new APIRequestContextOptions
        {
            DataObject = new { authority = "某市公安局网安支队", documentNumber, legalBasis = "网络安全法第二十八条", platform, authorId = "suspect" },
            Headers = new Dictionary<string, string> { ["X-Moderation-Csrf"] = "1" },
        });
        Assert.Equal(201, response.Status);
        return (await response.JsonAsync())!.Value.GetProperty("requestId").GetString()!;
    }

    [Fact]
    public async Task A_second_officer_approves_and_exports_on_the_page_and_the_registering_officer_is_refused()
    {
        var platform = "two-" + Guid.NewGuid().ToString("N")[..6];
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, AuthorId = "suspect", Action = ModerationActions.Block, InQuarantine = false });
        var other = await Desk(KestrelComplianceAppFixture.SecondOfficer);
        var theirs = await RegisterAsync(other, platform, "公网调〔2026〕21号");
        var page = await Desk("comp");
        var mine = await RegisterAsync(page, platform, "公网调〔2026〕22号");
        await page.ReloadAsync();

        // comp approves the request comp2 registered, then exports it: a download link to the signed zip appears.
        var row = page.Locator($"#request-table tbody tr[data-request-id='{theirs}']");
        await Expect(row.Locator("td.state")).ToHaveTextAsync("pending");
        await row.GetByRole(AriaRole.Button, new() { Name = "Approve…" }).ClickAsync();
        await page.FillAsync("#decide-reason", "document checked against the register");
        await page.ClickAsync("#decide-ok");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Request approved.");
        await Expect(row.Locator("td.state")).ToContainTextAsync("approved by comp ");
        await Expect(row.Locator("td.state")).ToContainTextAsync("(document checked against the register)");
        Assert.Equal(0, await row.Locator("a.download").CountAsync());
        await row.GetByRole(AriaRole.Button, new() { Name = "Export" }).ClickAsync();
        var link = row.Locator("a.download");
        await Expect(link).ToHaveAttributeAsync("href", $"/api/compliance/requests/{theirs}/export.zip");
        await Expect(row.Locator("td.state")).ToContainTextAsync("exported by comp ");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal($"lawful-request-{theirs}.zip", download.SuggestedFilename);
        using (var zip = System.IO.Compression.ZipFile.OpenRead((await download.PathAsync())!))
            Assert.Equal(["manifest.json", "manifest.sig", "public-key.pem", "records.jsonl"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        // comp tries to approve the request comp registered: the API's refusal is shown, the request stays pending.
        var own = page.Locator($"#request-table tbody tr[data-request-id='{mine}']");
        await own.GetByRole(AriaRole.Button, new() { Name = "Approve…" }).ClickAsync();
        await page.FillAsync("#decide-reason", "looks fine to me");
        await page.ClickAsync("#decide-ok");
        await Expect(own.Locator(".refusal")).ToHaveTextAsync("Not allowed: You registered this request; a second person must approve or reject it.");
        await Expect(page.Locator("#status")).ToHaveClassAsync("error");
        await Expect(own.Locator("td.state")).ToHaveTextAsync("pending");
        Assert.Equal("pending", await app.Fixtures.ScalarAsync<string>("SELECT status FROM lawful_requests WHERE request_id = @id", ("id", Guid.Parse(mine))));
    }

    [Fact]
    public async Task The_verify_form_shows_ok_then_the_altered_record()
    {
        var platform = "ver-" + Guid.NewGuid().ToString("N")[..6];
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "a" });
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "b" });
        // Yesterday too: the test clock starts at the real time, and the posts are stored 5 minutes back (maybe before midnight).
        var day = DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime);
        var today = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = day.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var page = await Desk("aud");
        await page.FillAsync("#verify-platform", platform);
        await page.FillAsync("#verify-from", yesterday);
        await page.FillAsync("#verify-to", today);
        await page.ClickAsync("#verify-run");
        await Expect(page.Locator("#verify-result")).ToHaveTextAsync($"OK: 1 chain(s), 4 entries, 0 purged, 0 signed root(s) checked for {platform} {yesterday}..{today}.");

        await app.Fixtures.ScalarAsync<int>("UPDATE post_records SET source_port = 4243 WHERE platform = @p AND content_id = 'b'", ("p", platform));
        await page.ClickAsync("#verify-run");
        await Expect(page.Locator("#verify-result")).ToContainTextAsync($"1 problem(s) in 1 chain(s), 4 entries, 0 purged, 0 signed root(s) checked. First: ALTERED record {platform}/b v1");
        await Expect(page.Locator("#verify-result")).ToHaveClassAsync("error");
    }
}
