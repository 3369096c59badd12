namespace Moderation.Review.Tests;

/// <summary>The audit log's "from where" is the client behind a trusted proxy, and a forged header from anyone else is ignored.</summary>
public sealed class TrustedProxyTests(TrustedProxyReviewAppFixture app) : IClassFixture<TrustedProxyReviewAppFixture>
{
    [Fact]
    public async Task Behind_a_trusted_proxy_the_audit_records_the_forwarded_client()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec { Platform = "fwd-" + Guid.NewGuid().ToString("N")[..6] });
        using var client = app.ClientFor("mod1");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        using (var response = await client.GetAsync($"/api/items/{id}"))
            response.EnsureSuccessStatusCode();

        Assert.Equal("198.51.100.7", await app.Fixtures.ScalarAsync<string>(
            "SELECT host(client_ip) FROM review_audit_log WHERE decision_id = @id AND action = 'item.view_personal_data'", ("id", id)));
    }
}

public sealed class UntrustedForwardingTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    [Fact]
    public async Task Without_a_trusted_proxy_a_forwarded_header_is_ignored()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec { Platform = "nofwd-" + Guid.NewGuid().ToString("N")[..6] });
        using var client = app.ClientFor("mod1");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        using (var response = await client.GetAsync($"/api/items/{id}"))
            response.EnsureSuccessStatusCode();

        Assert.Equal("192.0.2.10", await app.Fixtures.ScalarAsync<string>(
            "SELECT host(client_ip) FROM review_audit_log WHERE decision_id = @id AND action = 'item.view_personal_data'", ("id", id)));
    }
}
