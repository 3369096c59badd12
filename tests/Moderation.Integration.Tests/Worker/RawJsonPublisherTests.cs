using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Moderation.Integration.Tests.Infrastructure;
using Npgsql;

namespace Moderation.Integration.Tests.Worker;

/// <summary>A platform that is not .NET: plain JSON in through RabbitMQ.Client, events out on the broker, records in PostgreSQL.</summary>
public sealed class RawJsonPublisherTests(RabbitWorkerFixture worker) : IClassFixture<RabbitWorkerFixture>
{
    private static List<(string Type, string MessageId, JsonNode Message)> For(List<(string Type, string MessageId, JsonNode Message)> seen, string contentId) =>
        seen.Where(e => e.Message["contentId"]?.GetValue<string>() == contentId).ToList();

    [Fact]
    public async Task A_prohibited_post_is_recorded_blocked_and_its_takedown_and_preservation_are_emitted()
    {
        var id = PostBuilder.NewId("block");
        await worker.PublishJsonAsync(PostBuilder.Post(id, "出售 ZZBLOCKZZ 货到付款"));

        var seen = await worker.CollectEventsAsync([], s => For(s, id).Count >= 3);
        var mine = For(seen, id);
        Assert.Equal(["ContentModerated", "RecordPreservationRequested", "TakedownRequested"], mine.Select(e => e.Type).Order());

        var moderated = mine.Single(e => e.Type == "ContentModerated").Message;
        Assert.Equal("block", moderated["action"]!.GetValue<string>());
        Assert.Equal([9], moderated["categories"]!.AsArray().Select(c => c!.GetValue<int>()));
        var hit = moderated["hits"]!.AsArray().Single()!;
        Assert.Equal(("ZZBLOCKZZ", 9), (hit["term"]!.GetValue<string>(), hit["start"]!.GetValue<int>()));
        // The shipped lexicon and detector rules (content hashes) and the test markers all contributed; the shipped model scored it.
        Assert.Matches("^lex-[0-9a-f]+\\+det-[0-9a-f]+\\+markers-1$", moderated["lexiconVersion"]!.GetValue<string>());
        Assert.NotEqual("none", moderated["modelVersion"]!.GetValue<string>());
        Assert.Equal(RabbitWorkerFixture.PolicyVersion, moderated["policyVersion"]!.GetValue<string>());

        var stored = await worker.Store.FindAsync("it-platform", id, 1, default);
        Assert.NotNull(stored);
        Assert.Equal("203.0.113.77", stored.Record.SourceIp);
        Assert.Equal("title\n出售 ZZBLOCKZZ 货到付款", stored.Record.Text);
        Assert.True(stored.Record.RetainUntil >= stored.Record.ReceivedAt.AddDays(60));
        Assert.Equal(stored.EvidenceSha256, mine.Single(e => e.Type == "RecordPreservationRequested").Message["evidenceSha256"]!.GetValue<string>());

        await using var conn = new NpgsqlConnection(worker.DatabaseConnectionString);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM report_cases c JOIN decisions d USING (decision_id) WHERE d.content_id = @id", new { id }));
    }

    [Fact]
    public async Task A_doubtful_post_is_quarantined_for_moderators()
    {
        var id = PostBuilder.NewId("review");
        await worker.PublishJsonAsync(PostBuilder.Post(id, "今晚 ZZREVIEWZZ 吗"));

        var mine = For(await worker.CollectEventsAsync([], s => For(s, id).Count >= 2), id);
        Assert.Equal(["ContentModerated", "ContentQuarantined"], mine.Select(e => e.Type).Order());
        await using var conn = new NpgsqlConnection(worker.DatabaseConnectionString);
        Assert.Equal("pending", await conn.ExecuteScalarAsync<string>("SELECT status FROM quarantine WHERE content_id = @id", new { id }));
    }

    [Fact]
    public async Task A_clean_post_passes_with_only_its_decision_emitted()
    {
        var id = PostBuilder.NewId("clean");
        await worker.PublishJsonAsync(PostBuilder.Post(id, "The library opens at nine on Sundays."));
        // Everything the worker emitted for it, up to a sentinel queued after the delivery was handled: no sleeping.
        var mine = await worker.AllEventsOfAsync([], id);
        Assert.Equal("ContentModerated", Assert.Single(mine).Type);
        Assert.Equal("pass", mine[0].Message["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_post_delivered_twice_gives_one_record_one_decision_and_one_set_of_events()
    {
        var id = PostBuilder.NewId("twice");
        var body = JsonSerializer.SerializeToUtf8Bytes(PostBuilder.Post(id, "ZZBLOCKZZ again"));
        await worker.PublishRawAsync(body);
        var seen = await worker.CollectEventsAsync([], s => For(s, id).Count >= 3);
        await worker.PublishRawAsync(body);
        // Both deliveries handled, then everything up to a sentinel behind their events.
        var mine = await worker.AllEventsOfAsync(seen, id, deliveries: 2);

        Assert.Equal(3, mine.Count);
        Assert.Equal(3, mine.Select(e => e.MessageId).Distinct().Count());
        await using var conn = new NpgsqlConnection(worker.DatabaseConnectionString);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM post_records WHERE content_id = @id", new { id }));
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM decisions WHERE content_id = @id", new { id }));
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM takedowns WHERE content_id = @id", new { id }));
    }

    [Fact]
    public async Task An_edit_is_a_new_version_decided_on_its_own()
    {
        var id = PostBuilder.NewId("edit");
        await worker.PublishJsonAsync(PostBuilder.Post(id, "harmless first draft", version: 1));
        await worker.PublishJsonAsync(PostBuilder.Post(id, "edited to add ZZBLOCKZZ", version: 2));
        var mine = For(await worker.CollectEventsAsync([], s => For(s, id).Count(e => e.Type == "ContentModerated") >= 2), id)
            .Where(e => e.Type == "ContentModerated").ToList();
        Assert.Equal(["1:pass", "2:block"], mine.Select(e => $"{e.Message["version"]}:{e.Message["action"]}").Order());
    }

    [Fact]
    public async Task A_takedown_completed_by_the_platform_is_recorded_against_the_decision()
    {
        var id = PostBuilder.NewId("done");
        await worker.PublishJsonAsync(PostBuilder.Post(id, "ZZBLOCKZZ"));
        var takedown = For(await worker.CollectEventsAsync([], s => For(s, id).Any(e => e.Type == "TakedownRequested")), id)
            .Single(e => e.Type == "TakedownRequested").Message;

        // Time to takedown is a metric: listen for this takedown's measurement (a distinctive 1234 s after the request).
        var requestedAt = takedown["requestedAt"]!.GetValue<DateTimeOffset>();
        var measured = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Moderation.Worker" && instrument.Name == "moderation.takedown.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { if (Math.Abs(value - 1234) < 0.01) measured.TrySetResult(value); });
        listener.Start();

        var completion = JsonSerializer.SerializeToUtf8Bytes(new
        {
            platform = "it-platform", contentId = id, version = 1,
            takedownId = takedown["takedownId"]!.GetValue<Guid>(), completedAt = requestedAt.AddSeconds(1234),
        });
        await worker.Channel.BasicPublishAsync("", worker.TakedownQueue, mandatory: true,
            basicProperties: new RabbitMQ.Client.BasicProperties { ContentType = "application/json" }, body: completion);

        var decisionId = takedown["decisionId"]!.GetValue<Guid>();
        DateTimeOffset? completed = null;
        for (var i = 0; i < 100 && completed is null; i++, await Task.Delay(100))
            completed = await worker.Store.TakedownCompletedAtAsync(decisionId, default);
        Assert.NotNull(completed);
        Assert.Equal(1234, await measured.Task.WaitAsync(TimeSpan.FromSeconds(30)), 2);
    }

    [Fact]
    public async Task A_completion_for_a_takedown_never_requested_lands_in_its_error_queue_with_the_reason()
    {
        var messageId = Guid.NewGuid().ToString();
        await worker.Channel.BasicPublishAsync("", worker.TakedownQueue, mandatory: true,
            basicProperties: new RabbitMQ.Client.BasicProperties { ContentType = "application/json", MessageId = messageId },
            body: JsonSerializer.SerializeToUtf8Bytes(new { platform = "it-platform", contentId = "never-blocked", version = 1 }));

        var error = await worker.WaitForErrorAsync(messageId, errorQueue: worker.TakedownQueue + "_error");

        Assert.NotNull(error);
        Assert.Contains("No takedown was requested for it-platform/never-blocked version 1", error.Value.Reason);
    }
}
