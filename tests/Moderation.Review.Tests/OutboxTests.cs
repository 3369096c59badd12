using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moderation.Contracts;
using Moderation.Review.Messaging;
using Npgsql;

namespace Moderation.Review.Tests;

public sealed class OutboxTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    [Fact]
    public async Task Events_left_unpublished_by_a_crash_are_published_by_the_sweeper_with_their_own_message_id()
    {
        // A decision committed, then the process died before publishing: the event sits unmarked in the outbox.
        var messageId = Guid.NewGuid();
        var released = new ContentReleased
        {
            DecisionId = Guid.NewGuid(), Platform = "p", ContentId = "crashed", Version = 1,
            ReleasedBy = "mod1", Reason = "fine", ReleasedAt = app.Time.GetUtcNow(),
        };
        await using (var conn = await app.Db.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand(
            "INSERT INTO review_outbox (message_id, message_type, payload, created_at) VALUES (@id, 'ContentReleased', @payload::jsonb, @at)", conn))
        {
            cmd.Parameters.AddWithValue("id", messageId);
            cmd.Parameters.AddWithValue("payload", JsonSerializer.Serialize(released, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            cmd.Parameters.AddWithValue("at", app.Time.GetUtcNow().AddMinutes(-1));
            await cmd.ExecuteNonQueryAsync();
        }

        var outbox = app.Factory.Services.GetRequiredService<ReviewOutbox>();
        Assert.Equal(1, await outbox.SweepAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.True(await app.Harness.Published.Any<ContentReleased>(x =>
            x.Context.MessageId == messageId && x.Context.Message.ContentId == "crashed" && x.Context.Message.DecisionId == released.DecisionId));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_outbox WHERE published_at IS NULL"));
        Assert.Equal(0, await outbox.SweepAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task A_decision_publishes_with_deterministic_message_ids_and_marks_the_outbox()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        (await client.PostAsync($"/api/items/{id}/claim", null)).EnsureSuccessStatusCode();
        using var body = System.Net.Http.Json.JsonContent.Create(new { action = "confirm", reason = "r" });
        (await client.PostAsync($"/api/items/{id}/decision", body)).EnsureSuccessStatusCode();

        var expected = Core.Decisions.DeterministicIds.For(id, nameof(TakedownRequested));
        Assert.True(await app.Harness.Published.Any<TakedownRequested>(x => x.Context.MessageId == expected));
        Assert.Equal(2L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_outbox WHERE published_at IS NOT NULL AND payload->>'decisionId' = @id", ("id", id.ToString())));
    }
}
