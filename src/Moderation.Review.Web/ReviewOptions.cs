namespace Moderation.Review;

/// <summary>Configuration section <c>Moderation:Review</c>. Validated at start-up.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Moderation:Review";

    /// <summary>How long a claim holds an item for one moderator before anyone else may take it.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Clause 3: the regulator report for a confirmed item is due this long after the decision.</summary>
    public TimeSpan ReportDue { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Apply the SQL migrations when the app starts (the worker's `migrate` command does the same).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How often the outbox sweeper looks for events a crash left unpublished.</summary>
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxPageSize { get; set; } = 200;

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed. The audit log
    /// records "from where"; behind a proxy that is the client, not the proxy. Empty = trust no header.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public int MaxBulkItems { get; set; } = 500;

    /// <summary>A page session ends after this long without a request (docs/security.md "Sessions").</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A page session ends this long after login, however busy (a stolen cookie dies with it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How many items one person (user or API key) may hold claimed at once; one more claim is a 409.</summary>
    public int MaxOpenClaimsPerPerson { get; set; } = 20;

    /// <summary>Login attempts per client address and minute; more get 429 with Retry-After.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 60;

    /// <summary>Largest request body the API reads; a larger one is a 413 problem.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The app's public address (e.g. https://review.example.org), named as the server in /openapi/v1.json. Unset: the
    /// description names none (clients use the address they fetched it from). Never taken from the request's Host header.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>People who log in on the page. PasswordHash comes from `Moderation.Review hash-password`.</summary>
    public List<ReviewUserOptions> Users { get; set; } = [];

    /// <summary>API clients. KeySha256 comes from `Moderation.Review new-api-key`; the key itself is never stored.</summary>
    public List<ReviewApiKeyOptions> ApiKeys { get; set; } = [];
}

public sealed class ReviewUserOptions
{
    public string Name { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public List<string> Roles { get; set; } = [];
}

public sealed class ReviewApiKeyOptions
{
    public string Name { get; set; } = "";
    public string KeySha256 { get; set; } = "";
    public List<string> Roles { get; set; } = [];
}

/// <summary>Section <c>Moderation:Bus</c>, the same keys the worker reads (its BusOptions), so one configuration serves both.</summary>
public sealed class TransportOptions
{
    public const string Section = "Moderation:Bus";

    /// <summary>"InMemory" (embedded default) or "RabbitMq".</summary>
    public string Transport { get; set; } = TransportNames.InMemory;
    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
}

public static class TransportNames
{
    public const string InMemory = "InMemory";
    public const string RabbitMq = "RabbitMq";
}
