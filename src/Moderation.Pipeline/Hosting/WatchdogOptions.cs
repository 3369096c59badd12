namespace Moderation.Pipeline.Hosting;

/// <summary>Configuration section "Moderation:Watchdog".</summary>
public sealed class WatchdogOptions
{
    public const string Section = "Moderation:Watchdog";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the endpoints' state (and, on RabbitMQ, the intake queue's consumer count) is checked.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an expected endpoint may stay without a consumer while the broker is reachable before the worker
    /// exits with code 75 so that its supervisor starts a fresh process (MassTransit issue 5692: after a broker
    /// restart an endpoint sometimes never consumes again; and MassTransit's own reconnect backs off up to 30 s
    /// between attempts, so after a long outage it may come back only that late). An outage of the broker itself
    /// does not count.
    /// </summary>
    public TimeSpan MaxNotConsuming { get; set; } = TimeSpan.FromSeconds(10);
}
