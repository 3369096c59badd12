using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Moderation.Review.Auth;

namespace Moderation.Review.Tests;

/// <summary>A login limit of 3 a minute, so the test reaches it in a few requests.</summary>
public sealed class LowLoginLimitReviewAppFixture : ReviewAppFixture
{
    protected override void Configure(IWebHostBuilder web) => web.UseSetting("Moderation:Review:LoginAttemptsPerMinute", "3");
}

/// <summary>Issue 12, finding 6: a rate-limited login is audited and tells the client when to come back.</summary>
public sealed class LoginRateLimitTests(LowLoginLimitReviewAppFixture app) : IClassFixture<LowLoginLimitReviewAppFixture>
{
    [Fact]
    public async Task A_rate_limited_login_is_a_429_problem_with_retry_after_and_is_audited_once_per_client_and_window()
    {
        using var client = app.Factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name = "mod1", password = "guess " + i }) };
            request.Headers.Add(SecurityExtensions.CsrfHeader, "1");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
                continue;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            SecurityHeaders.AssertPresent(response);
        }

        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(limited >= 4, string.Join(", ", statuses));
        // One row per client and window (the attempts may straddle a window boundary), never one per request:
        // the log is append-only, so a flood must not be able to fill it.
        var audited = await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_audit_log WHERE action = 'login.rate_limited' AND host(client_ip) = '192.0.2.10'");
        Assert.InRange(audited, 1L, 2L);
        Assert.True(audited < limited);
    }
}
