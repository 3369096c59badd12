using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Moderation.Review.Auth;

namespace Moderation.Review.Tests;

public sealed class SecurityTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", "/api/me" },
        { "GET", "/api/queue" },
        { "GET", $"/api/items/{Guid.Empty}" },
        { "POST", $"/api/items/{Guid.Empty}/claim" },
        { "POST", $"/api/items/{Guid.Empty}/decision" },
        { "POST", "/api/items/bulk-decision" },
        { "GET", "/api/audit" },
        { "GET", "/api/export/training.tsv" },
        { "GET", "/openapi/v1.json" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Nothing_is_anonymous(string method, string url)
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = method == "POST" ? JsonContent.Create(new { }) : null };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_api_key_is_401()
    {
        using var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Bearer not-a-key");
        using var response = await client.GetAsync("/api/queue");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("aud", "POST", "/api/items/{id}/claim")]
    [InlineData("aud", "POST", "/api/items/{id}/decision")]
    [InlineData("aud", "POST", "/api/items/{id}/notes")]
    [InlineData("aud", "GET", "/api/export/training.tsv")]
    [InlineData("mod1", "GET", "/api/audit")]
    [InlineData("mod1", "POST", "/api/items/bulk-decision")]
    [InlineData("mod1", "GET", "/api/export/training.tsv")]
    [InlineData("sup", "GET", "/api/audit")]
    public async Task The_wrong_role_is_403(string user, string method, string url)
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor(user);
        using var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{id}", id.ToString(), StringComparison.Ordinal))
        { Content = method == "POST" ? JsonContent.Create(new { action = "release", reason = "x", text = "x", decisionIds = new[] { id } }) : null };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("aud", "/api/queue")]
    [InlineData("aud", "/api/audit")]
    [InlineData("admin", "/api/audit")]
    [InlineData("sup", "/api/export/training.tsv")]
    [InlineData("mod1", "/api/queue")]
    public async Task The_right_role_is_allowed(string user, string url)
    {
        using var client = app.ClientFor(user);
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_401_and_is_audited()
    {
        using var client = app.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name = "mod1", password = "guess" }) };
        request.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_audit_log WHERE action = 'login.failed' AND actor = 'mod1'") >= 1);
    }

    [Fact]
    public async Task Cookie_sessions_must_send_the_csrf_header_on_writes()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = await app.CookieClientFor("mod1", sendCsrfHeader: false);
        using (var read = await client.GetAsync("/api/queue"))
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (var write = await client.PostAsJsonAsync($"/api/items/{id}/claim", new { }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            Assert.Contains(SecurityExtensions.CsrfHeader, await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var foreign = new HttpRequestMessage(HttpMethod.Post, $"/api/items/{id}/claim"))
        {
            foreign.Headers.Add(SecurityExtensions.CsrfHeader, "1");
            foreign.Headers.Add("Origin", "https://evil.example");
            using var response = await client.SendAsync(foreign);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using var ok = new HttpRequestMessage(HttpMethod.Post, $"/api/items/{id}/claim");
        ok.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        using var claimed = await client.SendAsync(ok);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
    }

    [Fact]
    public async Task Login_without_the_csrf_header_is_refused()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { name = "mod1", password = ReviewAppFixture.Password });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_httponly_and_samesite_strict()
    {
        using var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name = "aud", password = ReviewAppFixture.Password }) };
        request.Headers.Add(SecurityExtensions.CsrfHeader, "1");
        using var response = await client.SendAsync(request);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_page_is_served_with_a_strict_content_security_policy()
    {
        using var client = app.Factory.CreateClient();
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // only <script src=...>
    }

    [Fact]
    public void Outside_Development_the_app_refuses_to_start_without_configured_reviewers()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Moderation:Storage:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Moderation", app.ConnectionString);
            web.UseSetting("Moderation:Review:MigrateOnStart", "false");
            web.UseSetting("Moderation:Bus:AllowInMemory", "true");
        });
        var ex = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("No reviewers configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_app_refuses_an_in_memory_bus()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Moderation:Storage:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Moderation", app.ConnectionString);
            web.UseSetting("Moderation:Review:MigrateOnStart", "false");
            web.UseSetting("Moderation:Review:ApiKeys:0:Name", "ops");
            web.UseSetting("Moderation:Review:ApiKeys:0:KeySha256", ReviewerDirectory.HashApiKey("ops-key"));
            web.UseSetting("Moderation:Review:ApiKeys:0:Roles:0", ReviewRoles.Admin);
            web.UseSetting("Moderation:Bus:Transport", "InMemory");
        });
        var ex = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Moderation:Bus:Transport is InMemory in the 'Production' environment", ex.Message, StringComparison.Ordinal);
    }
}
