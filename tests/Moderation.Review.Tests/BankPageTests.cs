using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Moderation.Review.Tests;

/// <summary>
/// The content-banks API and page: supervisors and admins only, the CSRF header like every other write, and entry
/// texts (copies of attackers' posts) shown as inert text in real headless Chromium.
/// </summary>
public sealed class BankPageTests(KestrelReviewAppFixture app) : IClassFixture<KestrelReviewAppFixture>, IAsyncLifetime
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

    [Fact]
    public async Task Bank_entry_text_source_and_note_with_script_payloads_are_shown_as_text_and_never_run()
    {
        const string text = "<img src=x onerror=\"window.__pwned='text'\">据内部消息，下个月开始银行存款超过五万的都要查封审查<script>window.__pwned='script'</script>";
        const string source = "<svg onload=\"window.__pwned='source'\">";
        const string note = "<iframe srcdoc=\"<script>parent.__pwned='note'</script>\"></iframe>";
        const string subLabel = "<img src=x onerror=window.__pwned='sub'>";
        var bank = "xss-" + Guid.NewGuid().ToString("N")[..6];
        using (var sup = app.ClientFor("sup"))
        {
            using var created = await sup.PostAsJsonAsync("/api/banks", new { name = bank, category = 6, subLabel, action = "quarantine", threshold = 0.4 });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var added = await sup.PostAsJsonAsync($"/api/banks/{bank}/entries", new { text, source, note });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.BaseAddress.ToString() });
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync("/");
        await page.FillAsync("#login-name", "sup");
        await page.FillAsync("#login-password", ReviewAppFixture.Password);
        await page.ClickAsync("#login-submit");
        await Expect(page.Locator("#banks-link")).ToBeVisibleAsync();
        await page.ClickAsync("#banks-link");

        var row = page.Locator($"#banks-table tr[data-bank='{bank}']");
        await Expect(row).ToContainTextAsync(subLabel);
        await row.Locator("button").First.ClickAsync(); // the bank's name: show its entries
        var entry = page.Locator("#entries-table tbody tr").First;
        await Expect(entry.Locator("td.entry-text")).ToHaveTextAsync(text);
        await Expect(entry).ToContainTextAsync(source);
        await Expect(entry).ToContainTextAsync(note);
        await page.WaitForTimeoutAsync(500); // give any onerror/onload a chance to fire
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "a payload ran");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('main img, main script, main svg, main iframe').length"));

        // A moderator does not see the link (and the API refuses them: see the next test).
        var modPage = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.BaseAddress.ToString() });
        await modPage.GotoAsync("/");
        await modPage.FillAsync("#login-name", "mod1");
        await modPage.FillAsync("#login-password", ReviewAppFixture.Password);
        await modPage.ClickAsync("#login-submit");
        await Expect(modPage.Locator("#whoami")).ToContainTextAsync("mod1");
        await Expect(modPage.Locator("#banks-link")).ToBeHiddenAsync();
    }
}

/// <summary>The content-banks API over the in-process test server: roles, the CSRF header, validation and the audit trail.</summary>
public sealed class BankApiTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    [Fact]
    public async Task Only_supervisors_and_admins_change_banks_cookie_writes_need_the_csrf_header_and_every_change_is_audited()
    {
        var bank = "roles-" + Guid.NewGuid().ToString("N")[..6];
        using (var mod = app.ClientFor("mod1"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await mod.GetAsync("/api/banks")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await mod.PostAsJsonAsync("/api/banks", new { name = bank, category = 7, action = "block" })).StatusCode);
        }
        using (var aud = app.ClientFor("aud"))
            Assert.Equal(HttpStatusCode.Forbidden, (await aud.GetAsync("/api/banks")).StatusCode);
        using (var noCsrf = await app.CookieClientFor("admin", sendCsrfHeader: false))
            Assert.Equal(HttpStatusCode.Forbidden, (await noCsrf.PostAsJsonAsync("/api/banks", new { name = bank, category = 7, action = "block" })).StatusCode);

        using var admin = await app.CookieClientFor("admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/banks", new { name = bank, category = 7, subLabel = "gambling", action = "block", threshold = 0.5 })).StatusCode);
        using (var tooShort = await admin.PostAsJsonAsync($"/api/banks/{bank}/entries", new { text = "加微信" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            Assert.Contains("shingles", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var lowThreshold = await admin.PostAsJsonAsync("/api/banks", new { name = bank + "-low", category = 7, action = "block", threshold = 0.1 }))
            Assert.Equal(HttpStatusCode.BadRequest, lowThreshold.StatusCode);
        var added = await (await admin.PostAsJsonAsync($"/api/banks/{bank}/entries",
            new { text = "新用户注册就送88元彩金，首充再返百分之百，每天签到领红包，提现秒到账", source = "report 12" })).Content.ReadFromJsonAsync<JsonElement>();
        var entryId = added.GetProperty("entryIds")[0].GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/banks/entries/{entryId}/disable", new { reason = "duplicate" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/banks/entries/{entryId}/disable", new { reason = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/banks/{bank}/disable", new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/banks/{bank}/disable", new { reason = "campaign over" })).StatusCode);

        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/banks/entries?bank={bank}&q=彩金&state=disabled");
        Assert.Equal(entryId, Assert.Single(found.EnumerateArray()).GetProperty("entryId").GetInt64());
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/banks");
        var listed = list.GetProperty("banks").EnumerateArray().Single(b => b.GetProperty("name").GetString() == bank);
        Assert.False(listed.GetProperty("enabled").GetBoolean());
        Assert.Equal("confirmed-7", list.GetProperty("confirmBanks").GetProperty("7").GetString());

        var actions = await app.Fixtures.ScalarAsync<string>(
            "SELECT string_agg(action, ',' ORDER BY audit_id) FROM review_audit_log WHERE actor = 'admin' AND details->>'bank' = @bank", ("bank", bank));
        Assert.Equal("bank.create,bank.entries.add,bank.entry.disable,bank.disable", actions);
    }
}
