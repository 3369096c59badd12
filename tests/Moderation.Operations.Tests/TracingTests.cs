using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Pipeline;
using Moderation.Operations.Tests.Infrastructure;
using Moderation.Worker;
using Moderation.Pipeline.Observability;
using RabbitMQ.Client;

namespace Moderation.Operations.Tests;

/// <summary>
/// One trace from the platform's publish to the events: a post published with a W3C trace context (MassTransit
/// reads it from the <c>MT-Activity-Id</c> header) yields MassTransit's receive span, our <c>moderate</c> span
/// and one send span per event, all in the publisher's trace.
/// </summary>
[Collection(ScratchCollection.Name)]
public sealed class TracingTests(ScratchServices services)
{
    [Fact]
    public async Task A_post_is_traced_from_the_publishers_context_through_the_decision_to_each_event()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"trace-{run}.content-published";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "MassTransit" || s.Name == WorkerMetrics.MeterName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Bus:Transport"] = "RabbitMq",
            ["Moderation:Bus:Host"] = "127.0.0.1",
            ["Moderation:Bus:Port"] = services.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["Moderation:Bus:IntakeQueue"] = queue,
            ["Moderation:Bus:TakedownCompletedQueue"] = $"trace-{run}.takedown-completed",
            ["Moderation:Storage:Provider"] = "Postgres",
            ["Moderation:Storage:ConnectionString"] = await services.CreateDatabaseAsync("trace"),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddModerationWorker(builder.Configuration);
        using var worker = builder.Build();
        await worker.StartAsync();
        try
        {
            var trace = ActivityTraceId.CreateRandom();
            var parent = $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
            await using (var connection = await services.Broker().CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                var props = new BasicProperties
                {
                    ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = run,
                    Headers = new Dictionary<string, object?> { ["MT-Activity-Id"] = parent },
                };
                await channel.BasicPublishAsync("", queue, false, props, Posts.Json(run, "p-1", "本店长期出售冰毒，价格优惠，加微信详谈。"));
            }

            // A blocked post: ContentModerated, TakedownRequested and RecordPreservationRequested are published. The
            // receive span is collected when it ends, which is after the sends inside it: wait for it too, or a
            // loaded machine reads the list in between.
            await Wait.UntilAsync(() => Task.FromResult(
                    spans.Count(s => s.TraceId == trace && s.OperationName.EndsWith(" send", StringComparison.Ordinal)) >= 3
                    && spans.Any(s => s.TraceId == trace && s.Kind == ActivityKind.Consumer && s.OperationName.EndsWith(" receive", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(60), "the event publishes and the receive traced");
            var ours = spans.Where(s => s.TraceId == trace).ToList();
            var receive = Assert.Single(ours, s => s.Kind == ActivityKind.Consumer && s.OperationName.EndsWith(" receive", StringComparison.Ordinal));
            var moderate = Assert.Single(ours, s => s.OperationName == "moderate");
            Assert.Equal("block", moderate.GetTagItem("moderation.action"));
            Assert.Equal(run, moderate.GetTagItem("moderation.platform"));
            Assert.True(IsWithin(moderate, receive, ours), "the moderate span is not inside the receive span");
            Assert.All(ours.Where(s => s.OperationName.EndsWith(" send", StringComparison.Ordinal)), send => Assert.True(IsWithin(send, receive, ours)));
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    /// <summary>Whether <paramref name="span"/> descends from <paramref name="ancestor"/> through the collected spans.</summary>
    private static bool IsWithin(Activity span, Activity ancestor, List<Activity> all)
    {
        for (var current = span; current is not null; current = all.FirstOrDefault(a => a.SpanId == current.ParentSpanId))
            if (current.SpanId == ancestor.SpanId)
                return true;
        return false;
    }
}
