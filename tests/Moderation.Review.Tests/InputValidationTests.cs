using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Moderation.Review.Auth;

namespace Moderation.Review.Tests;

/// <summary>
/// The probes of issue 12 (findings 4 and 5): control characters, out-of-range ages, oversize lists and strings.
/// Each gets a 400 application/problem+json that names the field and carries the security headers; none a 500.
/// </summary>
public sealed class InputValidationTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    private const string Nul = "\0";

    public static TheoryData<string, string> QueryProbes() => new()
    {
        { "/api/queue?platform=forum%00a", "platform" },
        { "/api/queue?subLabel=gam%00bling", "subLabel" },
        { "/api/queue?platform=a%1Bb", "platform" },
        { "/api/queue?minAge=2147483647", "minAge" },
        { "/api/queue?maxAge=3000000.00:00:00", "maxAge" },
        { "/api/queue?minAge=-5", "minAge" },
        { "/api/queue?platform=" + new string('p', 300), "platform" },
        { "/api/queue?platform=a&platform=b", "platform" },
        { "/api/audit?actor=mod1%00", "actor" },
        { "/api/audit?decisionId=not-a-guid", "decisionId" },
        { "/api/export/training.tsv?from=yesterday", "from" },
    };

    [Theory]
    [MemberData(nameof(QueryProbes))]
    public async Task A_hostile_query_parameter_is_a_400_problem_naming_it(string url, string field)
    {
        using var client = app.ClientFor("admin");
        await AssertProblem(await client.GetAsync(url), field);
    }

    public static TheoryData<string, string, string> BodyProbes() => new()
    {
        // (path, JSON body, field). {id} is a fresh claimed item.
        { "/api/items/{id}/decision", """{"action":"release","reason":"fine\u0000"}""", "reason" },
        { "/api/items/{id}/decision", """{"action":"release","reason":"fine","notes":"a\u0007b"}""", "notes" },
        { "/api/items/{id}/decision", """{"action":"release","reason":"a\u202Eb"}""", "reason" },
        { "/api/items/{id}/decision", """{"action":"release","reason":"lone \ud800 surrogate"}""", "reason" },
        { "/api/items/{id}/decision", "{\"action\":\"release\",\"reason\":\"" + new string('r', 2001) + "\"}", "reason" },
        { "/api/items/{id}/decision", """{"action":"confirm","reason":"x","categories":[1e12]}""", "categories" },
        { "/api/items/{id}/decision", """{"action":"confirm","reason":"x","categories":[]}""", "categories" },
        { "/api/items/{id}/decision", """{"action":"confirm","reason":"x","categories":[0]}""", "categories" },
        { "/api/items/{id}/decision", """{"action":"release","reason":"x","action":"confirm"}""", "action" },
        { "/api/items/{id}/notes", """{"text":"note\u0000"}""", "text" },
        { "/api/items/{id}/notes", "{\"text\":\"" + new string('n', 4001) + "\"}", "text" },
        { "/api/items/bulk-decision", """{"decisionIds":[],"action":"release","reason":"x\u0000"}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(BodyProbes))]
    public async Task A_hostile_body_is_a_400_problem_naming_the_field_and_nothing_is_stored(string path, string json, string field)
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("admin");
        (await client.PostAsJsonAsync($"/api/items/{id}/claim", new { })).EnsureSuccessStatusCode();

        await AssertProblem(await client.PostAsync(path.Replace("{id}", id.ToString(), StringComparison.Ordinal),
            new StringContent(json, Encoding.UTF8, "application/json")), field);

        Assert.Equal("pending", await app.Fixtures.ScalarAsync<string>("SELECT status FROM quarantine WHERE decision_id = @id", ("id", id)));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_notes WHERE decision_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_hundred_thousand_categories_on_a_confirm_are_refused_and_nothing_is_stored()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        (await client.PostAsJsonAsync($"/api/items/{id}/claim", new { })).EnsureSuccessStatusCode();

        var categories = Enumerable.Repeat(7, 100_000).ToArray();
        await AssertProblem(await client.PostAsJsonAsync($"/api/items/{id}/decision", new { action = "confirm", reason = "flood", categories }), "categories");

        Assert.Equal("pending", await app.Fixtures.ScalarAsync<string>("SELECT status FROM quarantine WHERE decision_id = @id", ("id", id)));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM report_cases WHERE decision_id = @id", ("id", id)));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_audit_log WHERE decision_id = @id AND action = 'item.confirm'", ("id", id)));
    }

    [Fact]
    public async Task Categories_are_deduplicated_in_order_before_they_reach_the_case_and_the_events()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec { Categories = [7] });
        using var client = app.ClientFor("mod1");
        (await client.PostAsJsonAsync($"/api/items/{id}/claim", new { })).EnsureSuccessStatusCode();
        using var response = await client.PostAsJsonAsync($"/api/items/{id}/decision", new { action = "confirm", reason = "dupes", categories = new[] { 9, 7, 9, 7 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await app.Fixtures.ScalarAsync<int[]>("SELECT categories FROM report_cases WHERE decision_id = @id", ("id", id));
        Assert.Equal(new[] { 9, 7 }, stored);
    }

    [Fact]
    public async Task Newlines_are_allowed_where_they_are_text_reasons_and_notes()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        (await client.PostAsJsonAsync($"/api/items/{id}/notes", new { text = "line one\nline two\tindented" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/items/{id}/claim", new { })).EnsureSuccessStatusCode();
        using var decided = await client.PostAsJsonAsync($"/api/items/{id}/decision", new { action = "release", reason = "first line\nsecond line" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        // ... but not in a one-line field.
        await AssertProblem(await client.GetAsync("/api/queue?platform=a%0Ab"), "platform");
    }

    [Fact]
    public async Task A_login_with_a_nul_in_the_name_is_a_400_and_is_audited_as_a_failed_login()
    {
        var marker = "nul-" + Guid.NewGuid().ToString("N")[..8];
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = new StringContent($$"""{"name":"{{marker}}\u0000admin","password":"whatever"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        request.Headers.UserAgent.ParseAdd("probe/" + new string('x', 30_000));

        await AssertProblem(await client.SendAsync(request), "name");

        var rows = await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_audit_log WHERE action = 'login.failed' AND actor LIKE @m", ("m", marker + "%"));
        Assert.Equal(1L, rows);
        var (actor, agentLength) = (await app.Fixtures.ScalarAsync<string>("SELECT actor FROM review_audit_log WHERE actor LIKE @m", ("m", marker + "%")),
            await app.Fixtures.ScalarAsync<int>("SELECT length(user_agent) FROM review_audit_log WHERE actor LIKE @m", ("m", marker + "%")));
        Assert.Equal(marker + "\uFFFDadmin", actor); // the NUL is shown, not stored
        Assert.True(agentLength <= 300, $"user agent stored with {agentLength} characters");
    }

    [Fact]
    public async Task Every_audit_row_caps_the_user_agent_the_same_way()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("aud");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("long/" + new string('y', 30_000));
        (await client.GetAsync($"/api/items/{id}")).EnsureSuccessStatusCode();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name = "mod1", password = "wrong" }) };
        wrong.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        wrong.Headers.UserAgent.ParseAdd("long/" + new string('z', 30_000));
        using (var failed = await app.Factory.CreateClient().SendAsync(wrong))
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_audit_log WHERE length(user_agent) > 300"));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_a_413_problem()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        var huge = "{\"text\":\"" + new string('a', 2_000_000) + "\"}";
        using var response = await client.PostAsync($"/api/items/{id}/notes", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        SecurityHeaders.AssertPresent(response);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        using var response = await client.PostAsync($"/api/items/{id}/notes", new StringContent("{\"text\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        SecurityHeaders.AssertPresent(response);
    }

    internal static async Task AssertProblem(HttpResponseMessage response, string field)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 for '{field}', got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            SecurityHeaders.AssertPresent(response);
            var body = JsonDocument.Parse(text).RootElement;
            Assert.True(body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"expected an error for '{field}': {text}");
        }
    }
}

internal static class SecurityHeaders
{
    public static void AssertPresent(HttpResponseMessage response)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "";
        Assert.Contains("default-src 'none'", Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("DENY", Header("X-Frame-Options"));
        Assert.Equal("no-referrer", Header("Referrer-Policy"));
    }
}
