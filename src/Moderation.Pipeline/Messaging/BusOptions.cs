namespace Moderation.Pipeline.Messaging;

/// <summary>Configuration section "Moderation:Bus".</summary>
public sealed class BusOptions
{
    public const string Section = "Moderation:Bus";

    /// <summary>"InMemory" (embedded default) or "RabbitMq".</summary>
    public string Transport { get; set; } = "InMemory";

    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";

    /// <summary>Quorum queues replicate across a RabbitMQ cluster; classic queues are faster on one node.</summary>
    public bool QuorumQueues { get; set; }

    /// <summary>Unacked messages the broker may push to one worker. High enough to fill a store batch.</summary>
    public ushort PrefetchCount { get; set; } = 256;

    /// <summary>Posts one worker moderates at once; concurrent posts share one database round trip.</summary>
    public int ConcurrentMessageLimit { get; set; } = 128;

    /// <summary>The queue (and exchange of the same name) publishers in any language send posts to.</summary>
    public string IntakeQueue { get; set; } = "moderation.content-published";

    public string TakedownCompletedQueue { get; set; } = "moderation.takedown-completed";
}
