using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Banks;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Integration.Tests.Worker;
using Moderation.Pipeline.Banks;
using Moderation.Review.Auth;
using Moderation.Storage.Banks;
using Npgsql;
using Xunit.Abstractions;

namespace Moderation.Integration.Tests.Banks;

/// <summary>
/// Content banks end to end on the real broker and database: a moderator confirms a post through the review API,
/// and the running worker (no restart) matches the next copy within 5 seconds; releasing a copy takes the entry
/// out, and the copy after that is not matched.
/// </summary>
public sealed class BankWorkerTests(RabbitWorkerFixture worker, ITestOutputHelper output) : IClassFixture<RabbitWorkerFixture>, IAsyncLifetime
{
    // A rumour (category 6 has no detector, so only the bank can find its copies) and copies as a campaign writes them.
    private const string Rumour = "据内部消息，下个月开始银行存款超过五万的都要查封审查，取钱需要开证明，很多人已经连夜去取现金了，赶紧转发给家人";
    private static string CopyOf(int n) => $"据可靠内部消息😱下个月起银行存款超过五万的都要查封审查，取钱要开证明，好多人已经连夜去取现金了！！第{n}次转发给家人";

    private WebApplicationFactory<Program> _review = null!;

    public Task InitializeAsync()
    {
        _review = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("Moderation:Storage:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Moderation", worker.DatabaseConnectionString);
            web.UseSetting("Moderation:Bus:Transport", "RabbitMq");
            web.UseSetting("Moderation:Bus:Host", TestServices.RabbitHost);
            web.UseSetting("Moderation:Review:ApiKeys:0:Name", "moderator-bea");
            web.UseSetting("Moderation:Review:ApiKeys:0:KeySha256", ReviewerDirectory.HashApiKey("bea-key"));
            web.UseSetting("Moderation:Review:ApiKeys:0:Roles:0", ReviewRoles.Moderator);
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _review.DisposeAsync();

    [Fact]
    public async Task A_running_worker_matches_a_copy_within_5_seconds_of_the_confirm_and_not_after_the_release()
    {
        Assert.True(BankText.Similarity(Rumour, CopyOf(1)) >= 0.4, "the copies must be near enough for the default threshold");
        var bankIndex = worker.Services.GetRequiredService<BankIndexProvider>();
        await worker.Services.GetRequiredService<BankSync>().WhenReady.WaitAsync(TimeSpan.FromSeconds(30));

        // The original: held by the marker (category 7), confirmed by a moderator.
        var original = PostBuilder.NewId("rumour");
        await worker.PublishJsonAsync(PostBuilder.Post(original, Rumour + " ZZREVIEWZZ"));
        var held = await ModeratedAsync(original);
        Assert.Equal("quarantine", held["action"]!.GetValue<string>());
        Assert.DoesNotContain(Hits(held), h => h["kind"]?.GetValue<string>() == "bank");
        await DecideAsync(held["decisionId"]!.GetValue<Guid>(), "confirm");
        var sinceConfirm = Stopwatch.StartNew();

        // Copies published one after another after the confirm: the first decided with a bank hit ends the wait.
        JsonNode? matched = null;
        var published = 0;
        for (var n = 1; matched is null && sinceConfirm.Elapsed < TimeSpan.FromSeconds(15); n++)
        {
            published = n;
            var id = PostBuilder.NewId("copy");
            await worker.PublishJsonAsync(PostBuilder.Post(id, CopyOf(n)));
            var decided = await ModeratedAsync(id);
            if (Hits(decided).Any(h => h["kind"]?.GetValue<string>() == "bank"))
                matched = decided;
        }
        var elapsed = sinceConfirm.Elapsed;
        output.WriteLine($"copy {published} after the confirm was the first matched, its decision seen {elapsed.TotalMilliseconds:F0} ms after the confirm returned");
        Assert.NotNull(matched);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the worker matched the new entry {elapsed.TotalSeconds:F1} s after the confirm");

        // The original was held for the marker's category 7 (and whatever else the shipped lexicon found): its
        // text went into each category's confirm bank, so the copy hits confirmed-7 among them.
        var hit = Assert.Single(Hits(matched), h => h["term"]!.GetValue<string>().StartsWith("bank:confirmed-7#", StringComparison.Ordinal));
        Assert.Equal("bank", hit["kind"]!.GetValue<string>());
        Assert.Equal((7, 2), (hit["category"]!.GetValue<int>(), hit["severity"]!.GetValue<int>()));
        Assert.Equal("quarantine", matched["action"]!.GetValue<string>());
        var bankVersion = matched["bankVersion"]!.GetValue<string>();
        Assert.Matches("^[0-9]+:bank-[0-9]+-[0-9a-f]{16}$", bankVersion);
        await using (var conn = new NpgsqlConnection(worker.DatabaseConnectionString))
        {
            var stored = await conn.ExecuteScalarAsync<string>("SELECT bank_version FROM decisions WHERE decision_id = @Id",
                new { Id = matched["decisionId"]!.GetValue<Guid>() });
            Assert.Equal(bankVersion, stored);
        }

        // The copy is released: the entry that held it leaves the bank, and once the worker has seen that
        // version (a counted signal, not a sleep) the next copy is not matched.
        await DecideAsync(matched["decisionId"]!.GetValue<Guid>(), "release");
        var removedAt = await worker.Services.GetRequiredService<IBankStore>().VersionAsync(default);
        var deadline = Stopwatch.StartNew();
        while (bankIndex.Sequence < removedAt && deadline.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        Assert.True(bankIndex.Sequence >= removedAt, $"the worker holds bank version {bankIndex.Sequence}, the release made {removedAt}");
        var after = PostBuilder.NewId("after");
        await worker.PublishJsonAsync(PostBuilder.Post(after, CopyOf(99)));
        var notMatched = await ModeratedAsync(after);
        Assert.DoesNotContain(Hits(notMatched), h => h["kind"]?.GetValue<string>() == "bank");
        Assert.Equal(removedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), notMatched["bankVersion"]!.GetValue<string>().Split(':')[0]);
    }

    private static IEnumerable<JsonNode> Hits(JsonNode moderated) => moderated["hits"]!.AsArray().Select(h => h!);

    private async Task<JsonNode> ModeratedAsync(string contentId)
    {
        var events = await worker.AllEventsOfAsync([], contentId);
        return events.Single(e => e.Type == "ContentModerated").Message;
    }

    private async Task DecideAsync(Guid decisionId, string action)
    {
        using var client = _review.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "bea-key");
        using (var claim = await client.PostAsync($"/api/items/{decisionId}/claim", null))
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        using var decide = await client.PostAsJsonAsync($"/api/items/{decisionId}/decision", new { action, reason = "checked by hand" });
        Assert.True(decide.StatusCode == HttpStatusCode.OK, $"{action}: {decide.StatusCode} {await decide.Content.ReadAsStringAsync()}");
    }
}
