using RabbitMQ.Client;
using System.Text;
using System.Text.Json;
using Moderation.Integration.Tests.Infrastructure;

namespace Moderation.Integration.Tests.Worker;

/// <summary>
/// Each kind of bad input ends in the error queue with a specific reason, and the worker goes on:
/// every test publishes a good post right after the bad one and waits for its decision.
/// </summary>
public sealed class BadInputTests(RabbitWorkerFixture worker) : IClassFixture<RabbitWorkerFixture>
{
    private async Task AssertRejected(byte[] body, params string[] reasonParts)
    {
        var messageId = await worker.PublishRawAsync(body);
        var goodId = PostBuilder.NewId("after-bad");
        await worker.PublishJsonAsync(PostBuilder.Post(goodId, "a perfectly ordinary post"));

        var error = await worker.WaitForErrorAsync(messageId);
        Assert.True(error is not null, "the bad message never reached the error queue");
        Assert.Equal(body, error.Value.Body);
        foreach (var part in reasonParts)
            Assert.True(error.Value.Reason.Contains(part, StringComparison.OrdinalIgnoreCase), $"reason \"{error.Value.Reason}\" does not mention \"{part}\"");

        var seen = await worker.CollectEventsAsync([], s => s.Any(e => e.Message["contentId"]?.GetValue<string>() == goodId));
        Assert.Contains(seen, e => e.Message["contentId"]?.GetValue<string>() == goodId);
    }

    private static byte[] Json(Dictionary<string, object?> post) => JsonSerializer.SerializeToUtf8Bytes(post);

    private static Dictionary<string, object?> Valid(string prefix) => PostBuilder.Post(PostBuilder.NewId(prefix), "body");

    [Fact]
    public Task Malformed_json() => AssertRejected(Encoding.UTF8.GetBytes("{\"platform\": \"p\", \"contentId\": "), "The message is not valid JSON");

    [Fact]
    public Task Missing_required_field()
    {
        var post = Valid("missing");
        post.Remove("authorId");
        return AssertRejected(Json(post), "authorId is required");
    }

    [Fact]
    public Task Wrongly_typed_field()
    {
        var post = Valid("wrong-type");
        post["publishedAt"] = 12345;
        return AssertRejected(Json(post), "publishedAt must be an ISO 8601 date-time string", "got a number");
    }

    [Fact]
    public Task Empty_body()
    {
        var post = Valid("empty");
        post["body"] = "   ";
        return AssertRejected(Json(post), "body is empty");
    }

    [Fact]
    public Task Body_over_the_configured_limit()
    {
        var post = Valid("huge");
        post["body"] = new string('长', 6000);
        return AssertRejected(Json(post), "the limit is 5000");
    }

    [Fact]
    public Task Invalid_ip()
    {
        var post = Valid("bad-ip");
        post["sourceIp"] = "300.1.2.3";
        return AssertRejected(Json(post), "sourceIp '300.1.2.3' is not an IPv4 or IPv6 address");
    }

    [Fact]
    public Task Publish_time_far_in_the_future()
    {
        var post = Valid("future");
        post["publishedAt"] = DateTimeOffset.UtcNow.AddDays(3).ToString("O");
        return AssertRejected(Json(post), "lies in the future");
    }

    [Fact]
    public Task Unpaired_utf16_surrogate()
    {
        // Written by hand: a JSON serializer would refuse to produce this, but a buggy publisher can.
        var post = Valid("surrogate");
        var text = JsonSerializer.Serialize(post).Replace("\"body\":\"body\"", "\"body\":\"bad \\ud800 text\"", StringComparison.Ordinal);
        return AssertRejected(Encoding.UTF8.GetBytes(text), "body holds an unpaired UTF-16 surrogate");
    }

    [Fact]
    public Task Duplicate_key_in_another_letter_case()
    {
        // The raw JSON deserialiser would keep the last "Body" and moderate the harmless text.
        var post = Valid("dup-case");
        var text = JsonSerializer.Serialize(post).Replace("\"body\":\"body\"", "\"body\":\"出售冰毒\",\"Body\":\"今天天气很好\"", StringComparison.Ordinal);
        return AssertRejected(Encoding.UTF8.GetBytes(text), "has the key \"Body\" twice", "also as \"body\"");
    }

    [Fact]
    public Task Duplicate_key_in_the_same_letter_case()
    {
        var post = Valid("dup-exact");
        var text = JsonSerializer.Serialize(post).Replace("\"body\":\"body\"", "\"body\":\"出售冰毒\",\"body\":\"今天天气很好\"", StringComparison.Ordinal);
        return AssertRejected(Encoding.UTF8.GetBytes(text), "has the key \"body\" twice");
    }

    [Fact]
    public Task Body_of_only_zero_width_spaces()
    {
        var post = Valid("invisible");
        post["body"] = new string('\u200B', 4000);
        return AssertRejected(Json(post), "body is empty", "invisible");
    }

    [Fact]
    public Task Url_over_the_length_limit()
    {
        var post = Valid("long-url");
        post["urls"] = new[] { "https://example.org/a", "https://example.org/" + new string('x', 65_000) };
        return AssertRejected(Json(post), "urls[1] is 65020 characters; the limit is 2048");
    }

    [Fact]
    public Task Unknown_service_type()
    {
        var post = Valid("service");
        post["serviceType"] = "blog";
        return AssertRejected(Json(post), "serviceType 'blog' is unknown");
    }

    [Fact]
    public async Task A_refused_post_is_also_announced_as_a_fault_event_with_the_reason()
    {
        const string exchange = "MassTransit:Fault--Moderation.Contracts:ContentPublished--";
        await worker.Channel.ExchangeDeclareAsync(exchange, RabbitMQ.Client.ExchangeType.Fanout, durable: true);
        var queue = (await worker.Channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await worker.Channel.QueueBindAsync(queue, exchange, "");
        var post = Valid("fault-event");
        post["serviceType"] = "podcast";

        var messageId = await worker.PublishRawAsync(Json(post));

        System.Text.Json.Nodes.JsonNode? fault = null;
        for (var i = 0; i < 200 && fault is null; i++)
        {
            var got = await worker.Channel.BasicGetAsync(queue, autoAck: true);
            if (got is null)
            {
                await Task.Delay(100);
                continue;
            }
            var message = System.Text.Json.Nodes.JsonNode.Parse(got.Body.Span)!["message"]!;
            if (message["message"]?["contentId"]?.GetValue<string>() == (string)post["contentId"]!)
                fault = message;
        }
        Assert.NotNull(fault);
        Assert.Contains("serviceType 'podcast' is unknown", fault["exceptions"]![0]!["message"]!.GetValue<string>());
        Assert.NotNull(await worker.WaitForErrorAsync(messageId));
    }
}
