namespace Moderation.Storage;

/// <summary>Configuration section "Moderation:Storage", read by the worker and the review app alike.</summary>
public sealed class StorageOptions
{
    public const string Section = "Moderation:Storage";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>"Sqlite" (embedded default) or "Postgres".</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Falls back to ConnectionStrings:Moderation, then to a SQLite file in the working directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL only, optional: the connection migrations run on (the schema's owner, moderation_owner), while
    /// <see cref="ConnectionString"/> is the runtime role's (moderation_worker or moderation_review; docs/security.md
    /// "Database roles"). Unset: migrations use <see cref="ConnectionString"/>, as before.
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>The connection string migrations use: <see cref="MigrationConnectionString"/> when set, else <see cref="ConnectionString"/>.</summary>
    public string? MigrationConnection => string.IsNullOrWhiteSpace(MigrationConnectionString) ? ConnectionString : MigrationConnectionString;

    /// <summary>Apply pending migrations at start-up (the `migrate` command does it on demand).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long the regulator report of a block may take (clause 3).</summary>
    public TimeSpan ReportDue { get; set; } = TimeSpan.FromHours(24);

    public const string DefaultSqlite = "Data Source=moderation.db";
}
