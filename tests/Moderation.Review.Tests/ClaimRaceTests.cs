using System.Net;
using System.Net.Http.Json;

namespace Moderation.Review.Tests;

public sealed class ClaimRaceTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    [Fact]
    public async Task Parallel_claims_on_one_item_have_exactly_one_winner()
    {
        var moderators = new[] { "mod1", "mod2", "sup", "admin" };
        for (var round = 0; round < 25; round++)
        {
            var id = await app.Fixtures.InsertAsync(new PostSpec());
            var clients = Enumerable.Range(0, 16).Select(i => app.ClientFor(moderators[i % moderators.Length])).ToList();
            using var start = new ManualResetEventSlim();
            var attempts = clients.Select(c => Task.Run(async () =>
            {
                start.Wait();
                using var response = await c.PostAsJsonAsync($"/api/items/{id}/claim", new { });
                return (response.StatusCode, Who: response.IsSuccessStatusCode
                    ? (await response.Content.ReadFromJsonAsync<ClaimBody>())!.ClaimedBy
                    : null);
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(attempts);
            clients.ForEach(c => c.Dispose());

            var winners = results.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            // The same user may re-claim (extend) their own lease; anyone else must lose with 409.
            var winnerNames = winners.Select(w => w.Who).Distinct().ToList();
            Assert.Single(winnerNames);
            Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
            Assert.Equal(winnerNames[0], await app.Fixtures.ScalarAsync<string>("SELECT claimed_by FROM quarantine WHERE decision_id = @id", ("id", id)));
            Assert.Equal((long)winners.Count, await app.Fixtures.ScalarAsync<long>(
                "SELECT count(*) FROM review_audit_log WHERE decision_id = @id AND action = 'item.claim'", ("id", id)));
        }
    }

    [Fact]
    public async Task Parallel_claims_by_distinct_moderators_give_one_200_and_the_rest_409()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        var users = new[] { "mod1", "mod2", "sup", "admin" };
        var clients = users.Select(app.ClientFor).ToList();
        var results = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync($"/api/items/{id}/claim", new { })));
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var r in results) r.Dispose();
        clients.ForEach(c => c.Dispose());
    }

    private sealed record ClaimBody(Guid DecisionId, string ClaimedBy, DateTimeOffset ClaimExpiresAt);
}
