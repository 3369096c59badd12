using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Review.Auth;

namespace Moderation.Integration.Tests.Worker;

/// <summary>
/// The whole loop on the real broker and database: a platform publishes plain JSON, the worker
/// quarantines it, a moderator confirms or releases it through the review API, and the platform
/// receives TakedownRequested or ContentReleased on RabbitMQ.
/// </summary>
public sealed class ModeratorToPlatformTests(RabbitWorkerFixture worker) : IClassFixture<RabbitWorkerFixture>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _review = null!;

    public Task InitializeAsync()
    {
        // The review host's Program: this project references the pipeline library, not the worker executable.
        _review = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("Moderation:Storage:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Moderation", worker.DatabaseConnectionString);
            web.UseSetting("Moderation:Bus:Transport", "RabbitMq");
            web.UseSetting("Moderation:Bus:Host", TestServices.RabbitHost);
            web.UseSetting("Moderation:Review:ApiKeys:0:Name", "moderator-anna");
            web.UseSetting("Moderation:Review:ApiKeys:0:KeySha256", ReviewerDirectory.HashApiKey("anna-key"));
            web.UseSetting("Moderation:Review:ApiKeys:0:Roles:0", ReviewRoles.Moderator);
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _review.DisposeAsync();

    private HttpClient Moderator()
    {
        var client = _review.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "anna-key");
        return client;
    }

    private async Task<Guid> QuarantineAsync(string id)
    {
        await worker.PublishJsonAsync(PostBuilder.Post(id, "今晚一起 ZZREVIEWZZ 吗"));
        var seen = await worker.CollectEventsAsync([], s => s.Any(e => e.Type == "ContentQuarantined" && e.Message["contentId"]?.GetValue<string>() == id));
        return seen.Single(e => e.Type == "ContentQuarantined" && e.Message["contentId"]?.GetValue<string>() == id).Message["decisionId"]!.GetValue<Guid>();
    }

    private async Task<JsonNode> DecideAsync(Guid decisionId, string action, string type, string contentId)
    {
        using var client = Moderator();
        using (var claim = await client.PostAsync($"/api/items/{decisionId}/claim", null))
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        using (var decide = await client.PostAsJsonAsync($"/api/items/{decisionId}/decision", new { action, reason = "checked by hand" }))
            Assert.Equal(HttpStatusCode.OK, decide.StatusCode);
        var seen = await worker.CollectEventsAsync([], s => s.Any(e => e.Type == type && e.Message["contentId"]?.GetValue<string>() == contentId), TimeSpan.FromSeconds(30));
        return seen.Single(e => e.Type == type && e.Message["contentId"]?.GetValue<string>() == contentId).Message;
    }

    [Fact]
    public async Task A_confirmed_post_reaches_the_platform_as_a_takedown_by_the_moderator()
    {
        await worker.BindAsync("ContentReleased");
        var id = PostBuilder.NewId("confirm");
        var decisionId = await QuarantineAsync(id);

        var takedown = await DecideAsync(decisionId, "confirm", "TakedownRequested", id);

        Assert.Equal(decisionId, takedown["decisionId"]!.GetValue<Guid>());
        Assert.Equal("moderator-anna", takedown["requestedBy"]!.GetValue<string>());
        Assert.Equal([7], takedown["categories"]!.AsArray().Select(c => c!.GetValue<int>()));
    }

    [Fact]
    public async Task A_released_post_reaches_the_platform_as_content_released()
    {
        await worker.BindAsync("ContentReleased");
        var id = PostBuilder.NewId("release");
        var decisionId = await QuarantineAsync(id);

        var released = await DecideAsync(decisionId, "release", "ContentReleased", id);

        Assert.Equal(decisionId, released["decisionId"]!.GetValue<Guid>());
        Assert.Equal("moderator-anna", released["releasedBy"]!.GetValue<string>());
    }
}
