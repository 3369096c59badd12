using System.Net;
using Npgsql;

namespace Moderation.Review.Tests;

/// <summary>
/// Whatever fails inside, the answer is a problem body with the security headers and without internals. The
/// failure is real: the queue's table is moved away under the running app, so Npgsql throws from the store.
/// (Own fixture: this class breaks its database on purpose.)
/// </summary>
public sealed class UnhandledErrorTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_with_the_security_headers_and_no_internals()
    {
        await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        await Execute("ALTER TABLE quarantine RENAME TO quarantine_moved_away");
        try
        {
            using var response = await client.GetAsync("/api/queue");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            SecurityHeaders.AssertPresent(response);
            Assert.Contains("no-store", string.Join(",", response.Headers.GetValues("Cache-Control")), StringComparison.Ordinal);
            Assert.DoesNotContain("quarantine", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Npgsql", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
            Assert.Contains("traceId", body, StringComparison.Ordinal);
        }
        finally
        {
            await Execute("ALTER TABLE quarantine_moved_away RENAME TO quarantine");
        }
    }

    private async Task Execute(string sql)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
