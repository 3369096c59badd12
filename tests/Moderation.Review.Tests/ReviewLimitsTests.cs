using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Moderation.Review.Tests;

/// <summary>Issue 12, finding 6: a cap on open claims per person, and an OpenAPI description that does not echo the Host header.</summary>
public sealed class ReviewLimitsTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    [Fact]
    public async Task One_person_holds_at_most_the_configured_number_of_open_claims()
    {
        await using var capped = app.Factory.WithWebHostBuilder(web => web.UseSetting("Moderation:Review:MaxOpenClaimsPerPerson", "2"));
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add(await app.Fixtures.InsertAsync(new PostSpec()));
        using var mod = capped.CreateClient();
        mod.DefaultRequestHeaders.Add("X-Api-Key", "key-mod2");

        (await mod.PostAsJsonAsync($"/api/items/{ids[0]}/claim", new { })).EnsureSuccessStatusCode();
        (await mod.PostAsJsonAsync($"/api/items/{ids[1]}/claim", new { })).EnsureSuccessStatusCode();
        using (var third = await mod.PostAsJsonAsync($"/api/items/{ids[2]}/claim", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
            Assert.Contains("2 open claims", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Null(await app.Fixtures.ScalarAsync<string>("SELECT claimed_by FROM quarantine WHERE decision_id = @id", ("id", ids[2])));
        // Extending a claim one already holds is not a new claim.
        (await mod.PostAsJsonAsync($"/api/items/{ids[1]}/claim", new { })).EnsureSuccessStatusCode();
        // Deciding or giving one back makes room.
        (await mod.PostAsJsonAsync($"/api/items/{ids[0]}/unclaim", new { })).EnsureSuccessStatusCode();
        (await mod.PostAsJsonAsync($"/api/items/{ids[2]}/claim", new { })).EnsureSuccessStatusCode();
        // The cap is per person: someone else still claims.
        using var other = capped.CreateClient();
        other.DefaultRequestHeaders.Add("X-Api-Key", "key-mod1");
        (await other.PostAsJsonAsync($"/api/items/{ids[0]}/claim", new { })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Parallel_claims_by_one_person_never_exceed_the_cap()
    {
        await using var capped = app.Factory.WithWebHostBuilder(web => web.UseSetting("Moderation:Review:MaxOpenClaimsPerPerson", "3"));
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++) ids.Add(await app.Fixtures.InsertAsync(new PostSpec()));
        using var sup = capped.CreateClient();
        sup.DefaultRequestHeaders.Add("X-Api-Key", "key-sup");
        var results = await Task.WhenAll(ids.Select(id => sup.PostAsJsonAsync($"/api/items/{id}/claim", new { })));
        Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        foreach (var r in results) r.Dispose();
    }

    [Fact]
    public async Task The_openapi_description_does_not_echo_the_host_header_and_names_the_configured_server()
    {
        using var client = app.ClientFor("aud");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var configured = app.Factory.WithWebHostBuilder(web => web.UseSetting("Moderation:Review:PublicUrl", "https://review.example.org"));
        using var c = configured.CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", "key-aud");
        using var r2 = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        r2.Headers.Host = "evil.example";
        var doc = JsonDocument.Parse(await (await c.SendAsync(r2)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["https://review.example.org"], doc.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
    }
}
