namespace Moderation.Cli.Faults;

/// <summary>What `faults` was asked to do.</summary>
internal sealed record FaultRunOptions
{
    public int Posts { get; init; } = 100_000;
    public int BadPosts { get; init; }
    public int Workers { get; init; } = 1;
    public int Rate { get; init; } = 3000;
    public int Kills { get; init; } = 2;
    public int BrokerRestarts { get; init; } = 1;
    public TimeSpan DatabaseOutage { get; init; } = TimeSpan.FromSeconds(30);
    public int ThroughputPosts { get; init; } = 20_000;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
    public required string WorkerDll { get; init; }

    /// <summary>Null: start our own node; else host:port of the operator's broker.</summary>
    public string? RabbitMq { get; init; }

    /// <summary>Null: start our own cluster; else an admin connection string of the operator's server.</summary>
    public string? Postgres { get; init; }

    public string? BrokerStop { get; init; }
    public string? BrokerStart { get; init; }
    public string? DatabaseStop { get; init; }
    public string? DatabaseStart { get; init; }
    public bool KeepLogs { get; init; }

    /// <summary>The longest the intake consumer may take to come back after a broker restart.</summary>
    public static readonly TimeSpan ConsumerBackLimit = TimeSpan.FromSeconds(30);
}
