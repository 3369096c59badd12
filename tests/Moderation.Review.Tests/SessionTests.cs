using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Moderation.Review.Auth;

namespace Moderation.Review.Tests;

/// <summary>
/// Issue 12, findings 1 and 2: a cookie names a server-side session, checked on every request. Logout, an admin's
/// revocation, a user removed from configuration or given other roles, the idle timeout and the absolute lifetime
/// each end it at the next request.
/// </summary>
public sealed class SessionTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task After_logout_the_old_cookie_is_refused()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = Client();
        var cookie = await Sessions.LoginAsync(client, "mod1");
        Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", cookie));

        Assert.Equal(HttpStatusCode.NoContent, await Sessions.StatusAsync(client, HttpMethod.Post, "/api/auth/logout", cookie));

        // A copy of the cookie kept by an attacker (or a browser that ignored the deletion) is dead.
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Post, $"/api/items/{id}/claim", cookie));
        Assert.Null(await app.Fixtures.ScalarAsync<string>("SELECT claimed_by FROM quarantine WHERE decision_id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_user_removed_from_configuration_or_given_other_roles_loses_every_session_at_the_next_request()
    {
        using var client = Client();
        var mod1 = await Sessions.LoginAsync(client, "mod1");
        var mod1Again = await Sessions.LoginAsync(client, "mod1");
        var mod2 = await Sessions.LoginAsync(client, "mod2");
        var sup = await Sessions.LoginAsync(client, "sup");
        var id = await app.Fixtures.InsertAsync(new PostSpec());

        // The app restarts on the same database with mod1 gone and mod2 demoted to auditor; sup is unchanged.
        await using var restarted = app.Factory.WithWebHostBuilder(web =>
        {
            web.UseSetting("Moderation:Review:Users:0:Name", "someone-new");
            web.UseSetting("Moderation:Review:Users:1:Roles:0", ReviewRoles.Auditor);
        });
        using var after = restarted.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        // The control: an unchanged user's cookie from before the restart still works, so the refusals below are the sessions'.
        Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(after, HttpMethod.Get, "/api/me", sup));
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(after, HttpMethod.Post, $"/api/items/{id}/claim", mod1));
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(after, HttpMethod.Get, "/api/me", mod1Again));
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(after, HttpMethod.Get, "/api/me", mod2));
        Assert.Null(await app.Fixtures.ScalarAsync<string>("SELECT claimed_by FROM quarantine WHERE decision_id = @id", ("id", id)));

        Assert.Equal(2L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_sessions WHERE user_name = 'mod1' AND revoke_reason = 'user removed from configuration'"));
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_sessions WHERE user_name = 'mod2' AND revoke_reason = 'roles or credential changed'"));
        // mod2 logs in again and gets the new roles.
        var mod2New = await Sessions.LoginAsync(after, "mod2");
        Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(after, HttpMethod.Get, "/api/queue", mod2New));
        Assert.Equal(HttpStatusCode.Forbidden, await Sessions.StatusAsync(after, HttpMethod.Post, $"/api/items/{id}/claim", mod2New));
    }

    [Fact]
    public async Task An_idle_session_ends_and_a_busy_one_ends_at_its_absolute_lifetime()
    {
        using var client = Client();
        var idle = await Sessions.LoginAsync(client, "aud");
        app.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", idle));
        app.Time.Advance(TimeSpan.FromMinutes(61)); // default idle timeout: 1 hour since the last request
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", idle));

        var busy = await Sessions.LoginAsync(client, "aud");
        var used = TimeSpan.Zero;
        while (used < TimeSpan.FromHours(10) - TimeSpan.FromMinutes(30))
        {
            app.Time.Advance(TimeSpan.FromMinutes(30));
            used += TimeSpan.FromMinutes(30);
            Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", busy));
        }
        app.Time.Advance(TimeSpan.FromMinutes(31)); // default absolute lifetime: 10 hours since login, however busy
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", busy));
    }

    [Fact]
    public async Task An_admin_lists_and_revokes_sessions_and_nobody_else_may()
    {
        using var client = Client();
        var victim = await Sessions.LoginAsync(client, "mod2");
        using var admin = app.ClientFor("admin");

        var sessions = await admin.GetFromJsonAsync<JsonElement>("/api/sessions?user=mod2", Json);
        var mine = sessions.EnumerateArray().Last();
        Assert.Equal("mod2", mine.GetProperty("user").GetString());
        Assert.Equal("192.0.2.10", mine.GetProperty("clientIp").GetString());
        var sessionId = mine.GetProperty("sessionId").GetGuid();

        using (var sup = app.ClientFor("sup"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await sup.GetAsync("/api/sessions")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await sup.PostAsJsonAsync($"/api/sessions/{sessionId}/revoke", new { })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", victim));

        using (var revoked = await admin.PostAsJsonAsync($"/api/sessions/{sessionId}/revoke", new { }))
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", victim));
        Assert.DoesNotContain((await admin.GetFromJsonAsync<JsonElement>("/api/sessions?user=mod2", Json)).EnumerateArray(),
            s => s.GetProperty("sessionId").GetGuid() == sessionId);
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_audit_log WHERE action = 'session.revoke' AND actor = 'admin-api' AND details->>'sessionId' = @id", ("id", sessionId.ToString())));
        using var again = await admin.PostAsJsonAsync($"/api/sessions/{sessionId}/revoke", new { });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task An_admin_ends_every_session_of_one_user()
    {
        using var client = Client();
        var a = await Sessions.LoginAsync(client, "sup");
        var b = await Sessions.LoginAsync(client, "sup");
        var other = await Sessions.LoginAsync(client, "aud");
        using var admin = app.ClientFor("admin");
        using var response = await admin.PostAsJsonAsync("/api/sessions/revoke-user", new { user = "sup" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32() >= 2);
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", a));
        Assert.Equal(HttpStatusCode.Unauthorized, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", b));
        Assert.Equal(HttpStatusCode.OK, await Sessions.StatusAsync(client, HttpMethod.Get, "/api/me", other));
    }

    [Fact]
    public async Task Logout_works_for_an_api_key_client_without_a_csrf_header()
    {
        using var client = app.ClientFor("mod1");
        using var response = await client.PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var stillWorks = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode); // an API key is revoked in configuration, not by logout
    }

    [Fact]
    public async Task Over_https_the_cookie_is_secure_and_hsts_is_sent_and_over_http_neither()
    {
        using var https = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        using (var response = await Sessions.LoginResponseAsync(https, "aud"))
        {
            Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        }
        using var http = Client();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https"); // not believed: no trusted proxy configured
        using (var response = await Sessions.LoginResponseAsync(http, "aud"))
        {
            Assert.DoesNotContain("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }
    }

    private HttpClient Client() => app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
}

public sealed class TrustedProxySessionTests(TrustedProxyReviewAppFixture app) : IClassFixture<TrustedProxyReviewAppFixture>
{
    [Fact]
    public async Task Behind_a_trusted_proxy_that_says_https_the_cookie_is_secure_and_hsts_is_sent()
    {
        using var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        client.DefaultRequestHeaders.Add("Origin", "https://localhost");
        using var response = await Sessions.LoginResponseAsync(client, "aud");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }
}

/// <summary>Cookie sessions by hand: the cookie is kept as a string, so a test can replay it after it should have died.</summary>
internal static class Sessions
{
    public static async Task<HttpResponseMessage> LoginResponseAsync(HttpClient client, string user)
    {
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name = user, password = ReviewAppFixture.Password }) };
        login.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        return await client.SendAsync(login);
    }

    /// <summary>Logs in and returns the session cookie as "name=value".</summary>
    public static async Task<string> LoginAsync(HttpClient client, string user)
    {
        using var response = await LoginResponseAsync(client, user);
        Assert.True(response.IsSuccessStatusCode, $"login as {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    public static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string url, string cookie)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", cookie);
        if (method != HttpMethod.Get)
        {
            request.Headers.Add(SecurityExtensions.CsrfHeader, "1");
            request.Content = JsonContent.Create(new { });
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
