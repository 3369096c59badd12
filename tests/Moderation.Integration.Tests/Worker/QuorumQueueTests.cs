using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MassTransit;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Pipeline;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Moderation.Integration.Tests.Worker;

/// <summary>Moderation:Bus:QuorumQueues=true makes the intake queue a replicated quorum queue, and posts still flow.</summary>
public sealed class QuorumQueueTests
{
    [Fact]
    public async Task The_intake_queue_is_declared_as_a_quorum_queue_and_moderates_posts()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var intake = $"it-quorum-{suffix}.content-published";
        await using var db = await TestServices.CreateDatabaseAsync("quorum");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "RabbitMq",
            ["Moderation:Bus:Host"] = TestServices.RabbitHost,
            ["Moderation:Bus:QuorumQueues"] = "true",
            ["Moderation:Bus:IntakeQueue"] = intake,
            ["Moderation:Bus:TakedownCompletedQueue"] = $"it-quorum-{suffix}.takedown-completed",
            ["Moderation:Storage:Provider"] = "Postgres",
            ["Moderation:Storage:ConnectionString"] = db.ConnectionString,
            ["Moderation:Retention:Enabled"] = "false",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddModerationWorker(builder.Configuration);
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        using var host = builder.Build();
        await host.StartAsync();
        await using var connection = await new ConnectionFactory { HostName = TestServices.RabbitHost }.CreateConnectionAsync();
        try
        {
            // Re-declaring it as a classic queue must be refused: RabbitMQ says the existing one is of another type.
            await using (var probe = await connection.CreateChannelAsync())
            {
                var ex = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
                    probe.QueueDeclareAsync(intake, durable: true, exclusive: false, autoDelete: false,
                        arguments: new Dictionary<string, object?> { ["x-queue-type"] = "classic" }));
                Assert.Contains("x-queue-type", ex.Message);
                Assert.Contains("quorum", ex.Message);
            }

            await using var channel = await connection.CreateChannelAsync();
            var id = PostBuilder.NewId("quorum");
            await channel.BasicPublishAsync("", intake, mandatory: true,
                basicProperties: new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent },
                body: System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(PostBuilder.Post(id, "quorum queues keep this post")));
            var store = host.Services.GetRequiredService<Moderation.Storage.IModerationStore>();
            Moderation.Storage.ModeratedPost? stored = null;
            for (var i = 0; i < 100 && stored is null; i++, await Task.Delay(100))
                stored = await store.FindAsync("it-platform", id, 1, default);
            Assert.NotNull(stored);
        }
        finally
        {
            await host.StopAsync();
            await using var cleanup = await connection.CreateChannelAsync();
            foreach (var q in new[] { intake, intake + "_error", $"it-quorum-{suffix}.takedown-completed" })
                await cleanup.QueueDeleteAsync(q);
        }
    }
}
