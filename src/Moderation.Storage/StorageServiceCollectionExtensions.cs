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

    /// <summary>The content-bank store for the configured provider (the worker reads it; the review app also gets it from <see cref="AddReviewStorage"/>).</summary>
    public static IServiceCollection AddBankStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorageOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Banks.IBankStore>(sp => Create<Banks.IBankStore>(sp, (db, t) => new Banks.PostgresBankStore(db, t), (cs, t) => new Banks.SqliteBankStore(cs, t)));
        return services;
    }

    /// <summary>
    /// Registers the review stores (<see cref="IReviewQueue"/>, <see cref="IReviewCommands"/>, <see cref="IAuditLog"/>,
    /// <see cref="IReviewOutbox"/>, <see cref="IReviewSessions"/>) for the configured provider, on the same section and keys as the worker's store.
    /// Migrations are the host's call (<see cref="DatabaseMigrator.Apply"/>).
    /// </summary>
    public static IServiceCollection AddReviewStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorageOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReviewQueue>(sp => Create<IReviewQueue>(sp, (db, t) => new PostgresReviewQueue(db, t), (cs, t) => new SqliteReviewQueue(cs, t)));
        services.TryAddSingleton<IReviewCommands>(sp => Create<IReviewCommands>(sp,
            (db, t) => new PostgresReviewCommands(db, t, sp.GetService<Banks.BankFiling>()), (cs, t) => new SqliteReviewCommands(cs, t, sp.GetService<Banks.BankFiling>())));
        services.TryAddSingleton<Banks.IBankStore>(sp => Create<Banks.IBankStore>(sp, (db, t) => new Banks.PostgresBankStore(db, t), (cs, t) => new Banks.SqliteBankStore(cs, t)));
        services.TryAddSingleton<IAuditLog>(sp => Create<IAuditLog>(sp, (db, t) => new PostgresAuditLog(db, t), (cs, t) => new SqliteAuditLog(cs, t)));
        services.TryAddSingleton<IReviewOutbox>(sp => Create<IReviewOutbox>(sp, (db, t) => new PostgresReviewOutbox(db, t), (cs, t) => new SqliteReviewOutbox(cs, t)));
        services.TryAddSingleton<IReviewSessions>(sp => Create<IReviewSessions>(sp, (db, _) => new PostgresReviewSessions(db), (cs, _) => new SqliteReviewSessions(cs)));
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
            .Validate(o => string.IsNullOrWhiteSpace(o.MigrationConnectionString) || o.Provider == StorageOptions.Postgres,
                "Moderation:Storage:MigrationConnectionString is for PostgreSQL (the schema owner's connection); SQLite has one file and no roles.")
            .Validate(o => o.Provider != StorageOptions.Postgres || string.IsNullOrWhiteSpace(o.MigrationConnectionString) || SameDatabase(o.ConnectionString!, o.MigrationConnectionString),
                "Moderation:Storage:MigrationConnectionString must be a PostgreSQL connection string naming the same host, port and database as Moderation:Storage:ConnectionString (only the user differs).")
            .Validate(o => o.ReportDue > TimeSpan.Zero, "Moderation:Storage:ReportDue must be positive.")
            .ValidateOnStart();
        services.AddSingleton<StorageConnections>();
    }

    /// <summary>The runtime and the migration connection must reach one database: migrating another one would leave the app's schema behind.</summary>
    private static bool SameDatabase(string runtime, string migration)
    {
        try
        {
            var a = new Npgsql.NpgsqlConnectionStringBuilder(runtime);
            var b = new Npgsql.NpgsqlConnectionStringBuilder(migration);
            return string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port
                && string.Equals(a.Database, b.Database, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
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
