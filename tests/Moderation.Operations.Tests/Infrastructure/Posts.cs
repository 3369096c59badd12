using System.Text.Json;
using RabbitMQ.Client;

namespace Moderation.Operations.Tests.Infrastructure;

internal static class Posts
{
    public static byte[] Json(string platform, string contentId, string body = "今天天气很好，我们一起去公园散步吧。") => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["platform"] = platform, ["contentId"] = contentId, ["version"] = 1, ["serviceType"] = "comment", ["authorId"] = "u-1",
        ["body"] = body, ["publishedAt"] = DateTimeOffset.UtcNow.ToString("O"), ["sourceIp"] = "203.0.113.9",
    });

    /// <summary>Publishes as a platform would, with confirms.</summary>
    public static async Task PublishAsync(ConnectionFactory factory, string queue, IEnumerable<(string Id, byte[] Body)> messages)
    {
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var (id, body) in messages)
            await channel.BasicPublishAsync("", queue, false, new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = id }, body);
    }
}
