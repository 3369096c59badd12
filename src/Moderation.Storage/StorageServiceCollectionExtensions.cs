using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderation.Storage.Compliance;
using Moderation.Storage.Ledger;
using Moderation.Storage.Review;

namespace Moderation.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IModerationStore"/> for the configured provider. Building the store touches no
    /// database: migrations (Moderation:Storage:MigrateOnStart) are a start-up step of the host, which waits for
    /// the database first (see the worker's WorkerStartup).
    /// </summary>
    public static IServiceCollection AddModerationStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorageOptions(configuration);
        services.TryAddSingleton<IModerationStore>(sp =>
        {
            // No migration here: a process migrates (or checks the schema) as a start-up step, after waiting for the
            // database, so a database that is down at start is waited for instead of failing this factory.
            var db = sp.GetRequiredService<StorageConnections>();
            var time = sp.GetService<TimeProvider>();
            return db.IsPostgres ? new PostgresModerationStore(db.Postgres, time) : new SqliteModerationStore(db.Sqlite, time);
        });
        services.AddLedgerStorage();
        return services;
    }

    /// <summary>
    /// Registers the review stores (<see cref="IReviewQueue"/>, <see cref="IReviewCommands"/>, <see cref="IAuditLog"/>,
    /// <see cref="IReviewOutbox"/>) for the configured provider, on the same section and keys as the worker's store.
    /// Migrations are the host's call (<see cref="DatabaseMigrator.Apply"/>).
    /// </summary>
    public static IServiceCollection AddReviewStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorageOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReviewQueue>(sp => Create<IReviewQueue>(sp, (db, t) => new PostgresReviewQueue(db, t), (cs, t) => new SqliteReviewQueue(cs, t)));
        services.TryAddSingleton<IReviewCommands>(sp => Create<IReviewCommands>(sp, (db, t) => new PostgresReviewCommands(db, t), (cs, t) => new SqliteReviewCommands(cs, t)));
        services.TryAddSingleton<IAuditLog>(sp => Create<IAuditLog>(sp, (db, t) => new PostgresAuditLog(db, t), (cs, t) => new SqliteAuditLog(cs, t)));
        services.TryAddSingleton<IReviewOutbox>(sp => Create<IReviewOutbox>(sp, (db, t) => new PostgresReviewOutbox(db, t), (cs, t) => new SqliteReviewOutbox(cs, t)));
        services.AddLedgerStorage();
        services.TryAddSingleton<ILawfulRequests>(sp => Create<ILawfulRequests>(sp, (db, t) => new PostgresLawfulRequests(db, t), (cs, t) => new SqliteLawfulRequests(cs, t)));
        services.AddComplianceStorage(configuration);
        return services;
    }

    /// <summary>
    /// Registers <see cref="Compliance.IComplianceStore"/> (report cases, incidents, takedown follow-up) for the configured provider:
    /// the review app's compliance desk and the worker's timed takedown confirmation use it.
    /// </summary>
    public static IServiceCollection AddComplianceStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorageOptions(configuration);
        services.TryAddSingleton<Compliance.IComplianceStore>(sp =>
        {
            var db = sp.GetRequiredService<StorageConnections>();
            return db.IsPostgres ? new Compliance.PostgresComplianceStore(db.Postgres) : new Compliance.SqliteComplianceStore(db.Sqlite);
        });
        return services;
    }

    /// <summary>The record ledger (<see cref="ILedgerStore"/>, and <see cref="ILedgerReader"/> for proofs) on the configured database.</summary>
    private static void AddLedgerStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<ILedgerStore>(sp =>
        {
            var db = sp.GetRequiredService<StorageConnections>();
            return db.IsPostgres ? new PostgresLedger(db.Postgres) : new SqliteLedger(db.Sqlite);
        });
        services.TryAddSingleton<ILedgerReader>(sp => sp.GetRequiredService<ILedgerStore>());
    }

    private static T Create<T>(IServiceProvider sp, Func<Npgsql.NpgsqlDataSource, TimeProvider, T> postgres, Func<string, TimeProvider, T> sqlite)
    {
        var db = sp.GetRequiredService<StorageConnections>();
        var time = sp.GetRequiredService<TimeProvider>();
        return db.IsPostgres ? postgres(db.Postgres, time) : sqlite(db.Sqlite, time);
    }

    private static void AddStorageOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(StorageConnections)))
            return;
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.ConnectionString))
                    o.ConnectionString = configuration.GetConnectionString("Moderation") is { Length: > 0 } cs ? cs : null;
            })
            .Validate(o => o.Provider is StorageOptions.Sqlite or StorageOptions.Postgres, "Moderation:Storage:Provider must be Sqlite or Postgres.")
            .Validate(o => o.Provider != StorageOptions.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Moderation:Storage:Provider is Postgres but no connection string is set (Moderation:Storage:ConnectionString or ConnectionStrings:Moderation).")
            .Validate(o => o.Provider != StorageOptions.Sqlite || IsSqliteConnectionString(o.ConnectionString ?? StorageOptions.DefaultSqlite),
                "Moderation:Storage:Provider is Sqlite but the connection string is not a SQLite one (e.g. Data Source=moderation.db); for PostgreSQL set Moderation:Storage:Provider=Postgres.")
            .Validate(o => o.ReportDue > TimeSpan.Zero, "Moderation:Storage:ReportDue must be positive.")
            .ValidateOnStart();
        services.AddSingleton<StorageConnections>();
    }

    private static bool IsSqliteConnectionString(string connectionString)
    {
        try
        {
            _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
