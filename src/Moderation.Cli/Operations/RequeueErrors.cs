using System.Globalization;
using System.Text;
using Moderation.Contracts;
using RabbitMQ.Client;

namespace Moderation.Cli.Operations;

/// <summary>
/// Moves messages from "{queue}_error" back to the intake queue: posts that went there for a fault that was not
/// their own (before back-pressure existed, or through a bug since fixed). Bad input stays unless asked for, so it
/// is not recycled forever, and a message already moved back <see cref="Options.MaxRequeues"/> times stays too.
/// The copy keeps the body, content type and message id, loses the fault headers, and carries
/// <see cref="WireHeaders.RequeueCount"/>, which tells the worker to re-publish the stored events if the post was
/// already recorded. Each copy is confirmed by the broker before its original is acknowledged.
/// </summary>
internal static class RequeueErrors
{
    public enum Selection
    {
        /// <summary>Everything except bad input (fault kind "unknown", "infrastructure", or a pre-kind fault that was not a rejection).</summary>
        Retryable,

        /// <summary>Only bad input (after fixing a validation rule that was too strict).</summary>
        BadInput,

        All,
    }

    public sealed record Options(Uri Broker, string Queue, bool DryRun, int? Limit, string? ReasonContains, Selection Select, int MaxRequeues);

    public sealed record Summary(int Moved, int Kept, IReadOnlyDictionary<string, int> MovedByReason, IReadOnlyDictionary<string, int> KeptByWhy);

    private static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Host-"];

    public static async Task<Summary> RunAsync(Options o, TextWriter output, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = o.Broker, ClientProvidedName = "moderation-requeue-errors", AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var errorQueue = o.Queue + "_error";
        var depth = (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount;
        await channel.QueueDeclarePassiveAsync(o.Queue, ct);

        var held = new List<ulong>();
        var moved = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            // Look at most at what was there when we started; held messages are returned at the end.
            for (var seen = 0u; seen < depth && (o.Limit is null || moved.Values.Sum() < o.Limit); seen++)
            {
                if (await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is not { } m)
                    break;
                var headers = m.BasicProperties.Headers ?? new Dictionary<string, object?>();
                var reason = Text(headers, WireHeaders.RejectReason) ?? Text(headers, "MT-Fault-Message") ?? "(no reason)";
                var badInput = IsBadInput(headers);
                var requeues = Number(headers, WireHeaders.RequeueCount);
                var why = o.Select switch
                {
                    Selection.Retryable when badInput => "bad input",
                    Selection.BadInput when !badInput => "not bad input",
                    _ when requeues >= o.MaxRequeues => $"already moved back {requeues} times",
                    _ when o.ReasonContains is not null && !reason.Contains(o.ReasonContains, StringComparison.OrdinalIgnoreCase) => "reason does not match",
                    _ => null,
                };
                if (why is not null || o.DryRun)
                {
                    held.Add(m.DeliveryTag);
                    if (why is not null)
                    {
                        kept[why] = kept.GetValueOrDefault(why) + 1;
                        continue;
                    }
                }
                else
                {
                    var props = new BasicProperties
                    {
                        ContentType = m.BasicProperties.ContentType,
                        MessageId = m.BasicProperties.MessageId,
                        CorrelationId = m.BasicProperties.CorrelationId,
                        DeliveryMode = DeliveryModes.Persistent,
                        Headers = headers.Where(h => !IsFaultHeader(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal),
                    };
                    props.Headers[WireHeaders.RequeueCount] = requeues + 1;
                    await channel.BasicPublishAsync("", o.Queue, mandatory: false, props, m.Body, ct);
                    await channel.BasicAckAsync(m.DeliveryTag, multiple: false, ct);
                }
                var key = reason.Length > 100 ? reason[..100] + "…" : reason;
                moved[key] = moved.GetValueOrDefault(key) + 1;
            }
        }
        finally
        {
            foreach (var tag in held)
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
        }

        var summary = new Summary(moved.Values.Sum(), kept.Values.Sum(), moved, kept);
        var verb = o.DryRun ? "would move" : "moved";
        foreach (var (reason, count) in moved.OrderByDescending(r => r.Value))
            output.WriteLine($"  {verb} {count,6} × {reason}");
        foreach (var (why, count) in kept.OrderByDescending(r => r.Value))
            output.WriteLine($"  kept   {count,6} × {why}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requeue-errors: {verb} {summary.Moved} from {errorQueue} to {o.Queue}, kept {summary.Kept}"));
        return summary;
    }

    /// <summary>The worker's own verdict when present; for messages from before it wrote one, the exception type.</summary>
    private static bool IsBadInput(IDictionary<string, object?> headers)
    {
        if (Text(headers, WireHeaders.FaultKind) is { } kind)
            return string.Equals(kind, "post", StringComparison.OrdinalIgnoreCase);
        var type = Text(headers, "MT-Fault-ExceptionType") ?? "";
        return type.EndsWith("PostRejectedException", StringComparison.Ordinal) || type.EndsWith("JsonException", StringComparison.Ordinal)
            || type.EndsWith("SerializationException", StringComparison.Ordinal);
    }

    private static bool IsFaultHeader(string name) =>
        FaultHeaderPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
        || name is WireHeaders.RejectReason or WireHeaders.FaultKind or WireHeaders.RequeueCount;

    private static string? Text(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var v) ? v switch { byte[] b => Encoding.UTF8.GetString(b), string s => s, null => null, _ => Convert.ToString(v, CultureInfo.InvariantCulture) } : null;

    private static int Number(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var v) ? v switch
        {
            int i => i,
            long l => (int)l,
            byte[] b when int.TryParse(Encoding.UTF8.GetString(b), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            _ => 0,
        } : 0;
}
