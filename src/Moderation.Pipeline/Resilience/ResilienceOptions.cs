namespace Moderation.Pipeline.Resilience;

/// <summary>Configuration section "Moderation:Resilience": how the worker waits out a dependency outage.</summary>
public sealed class ResilienceOptions
{
    public const string Section = "Moderation:Resilience";

    /// <summary>While a dependency is down, one held post is tried this often; when it succeeds, all resume.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A post held this long is returned to the queue (and comes back), so no delivery stays unacknowledged
    /// near RabbitMQ's consumer_timeout (30 min by default), which would close the channel.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromMinutes(5);
}
