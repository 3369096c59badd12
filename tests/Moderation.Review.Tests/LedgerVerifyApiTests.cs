using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Moderation.Contracts;
using Moderation.Core.Ledger;
using Moderation.Review.Compliance;

namespace Moderation.Review.Tests;

/// <summary>
/// GET /api/compliance/ledger/verify over the real PostgreSQL ledger: ok on intact chains, the first problem once a
/// stored record is altered behind the ledger's back; compliance and auditors read, moderators do not; the range is
/// bounded; every check is audited.
/// </summary>
public sealed class LedgerVerifyApiTests(ComplianceReviewAppFixture app) : IClassFixture<ComplianceReviewAppFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<(string Platform, List<string> ContentIds)> PostsAsync(int count)
    {
        var platform = "verify-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var spec = new PostSpec { Platform = platform, Action = ModerationActions.Block, InQuarantine = false, Body = $"第{i}条 内容" };
            await app.Fixtures.InsertAsync(spec);
            ids.Add(spec.ContentId);
        }
        return (platform, ids);
    }

    private string Url(string platform, int daysBefore = 1, int daysAfter = 1)
    {
        var today = DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime);
        return string.Create(CultureInfo.InvariantCulture,
            $"/api/compliance/ledger/verify?platform={platform}&from={today.AddDays(-daysBefore):yyyy-MM-dd}&to={today.AddDays(daysAfter):yyyy-MM-dd}");
    }

    [Fact]
    public async Task An_intact_ledger_is_ok_and_an_altered_record_is_the_first_problem_reported()
    {
        var (platform, ids) = await PostsAsync(3);

        var intact = await app.ClientFor("aud").GetFromJsonAsync<LedgerVerifyResult>(Url(platform), Json);
        Assert.True(intact!.Ok, intact.FirstProblem);
        // Each post is two entries: its record and its decision.
        Assert.Equal((1, 6L, 0, (string?)null), (intact.Chains, intact.Entries, intact.Problems, intact.FirstProblem));

        // Tamper the way an operator with database access could: rewrite a stored row in place.
        await using (var conn = await app.Db.OpenConnectionAsync())
            Assert.Equal(1, await conn.ExecuteAsync("UPDATE post_records SET source_port = 4243 WHERE platform = @p AND content_id = @c",
                new { p = platform, c = ids[1] }));

        var tampered = await app.ClientFor("comp1").GetFromJsonAsync<LedgerVerifyResult>(Url(platform), Json);
        Assert.False(tampered!.Ok);
        Assert.Equal((1, LedgerFinding.Altered), (tampered.Problems, tampered.FirstProblemKind));
        Assert.StartsWith($"ALTERED record {platform}/{ids[1]} v1", tampered.FirstProblem, StringComparison.Ordinal);

        // Other platforms' chains are not this platform's business: still ok.
        var (other, _) = await PostsAsync(1);
        Assert.True((await app.ClientFor("comp1").GetFromJsonAsync<LedgerVerifyResult>(Url(other), Json))!.Ok);

        await using var db = await app.Db.OpenConnectionAsync();
        var audited = (await db.QueryAsync<string>(
            "SELECT actor FROM review_audit_log WHERE action = @a AND details->>'platform' = @p ORDER BY audit_id",
            new { a = LedgerVerifyApi.AuditAction, p = platform })).ToList();
        Assert.Equal(["aud-api", "comp1-api"], audited);
    }

    [Fact]
    public async Task Moderators_may_not_verify_and_the_range_is_bounded()
    {
        var (platform, _) = await PostsAsync(1);

        using var moderator = await app.ClientFor("mod1").GetAsync(Url(platform));
        using var tooLong = await app.ClientFor("aud").GetAsync(Url(platform, daysBefore: 31, daysAfter: 0));
        using var backwards = await app.ClientFor("aud").GetAsync(Url(platform, daysBefore: -2, daysAfter: 0));
        using var noPlatform = await app.ClientFor("aud").GetAsync("/api/compliance/ledger/verify?from=2026-01-01&to=2026-01-02");
        using var badDay = await app.ClientFor("aud").GetAsync($"/api/compliance/ledger/verify?platform={platform}&from=01/01/2026&to=2026-01-02");
        using var longest = await app.ClientFor("aud").GetAsync(Url(platform, daysBefore: 30, daysAfter: 0));

        Assert.Equal(HttpStatusCode.Forbidden, moderator.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (tooLong.StatusCode, backwards.StatusCode, noPlatform.StatusCode, badDay.StatusCode));
        Assert.Contains("platform", await noPlatform.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("from", await badDay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }
}
