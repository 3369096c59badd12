using System.Reflection;
using DbUp;
using DbUp.Engine;

namespace Moderation.Storage;

/// <summary>
/// Applies the numbered SQL files embedded under Migrations/{Postgres,Sqlite} in name order, once each
/// (DbUp keeps the journal in the database). Called at start-up and by the `migrate` command.
/// </summary>
public static class DatabaseMigrator
{
    private static readonly Assembly Scripts = typeof(DatabaseMigrator).Assembly;

    /// <summary>
    /// The configured database, whichever provider it is, on the migration connection (the schema owner's when
    /// Moderation:Storage:MigrationConnectionString is set). Returns how many scripts ran (0: it was up to date).
    /// </summary>
    public static int Apply(StorageOptions options) =>
        options.Provider == StorageOptions.Postgres
            ? ApplyPostgres(options.MigrationConnection ?? throw new InvalidOperationException("No PostgreSQL connection string configured."))
            : ApplySqlite(options.ConnectionString ?? StorageOptions.DefaultSqlite);

    /// <param name="upTo">Apply only the scripts whose number is at most this (e.g. "0110"), to test a later migration on old data.</param>
    public static int ApplyPostgres(string connectionString, string? upTo = null)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());
        return Run(Postgres(connectionString, upTo));
    }

    /// <param name="upTo">Apply only the scripts whose number is at most this (e.g. "0110"), to test a later migration on old data.</param>
    public static int ApplySqlite(string connectionString, string? upTo = null)
    {
        // Write-ahead logging: readers (the review page) no longer wait for a writer (the worker), and a commit is
        // one fsync of the log instead of a rollback journal's several. The mode is stored in the file, so once is enough.
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection(connectionString))
        {
            conn.Open();
            using var wal = conn.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            wal.ExecuteNonQuery();
        }
        return Run(Sqlite(connectionString, upTo));
    }

    /// <summary>Names of the migrations not yet applied to the configured database (for a process that must not migrate, only check).</summary>
    public static IReadOnlyList<string> Pending(StorageOptions options) =>
        options.Provider == StorageOptions.Postgres
            ? PendingPostgres(options.ConnectionString ?? throw new InvalidOperationException("No PostgreSQL connection string configured."))
            : PendingSqlite(options.ConnectionString ?? StorageOptions.DefaultSqlite);

    public static IReadOnlyList<string> PendingPostgres(string connectionString) => Pending(Postgres(connectionString, null));

    public static IReadOnlyList<string> PendingSqlite(string connectionString) => Pending(Sqlite(connectionString, null));

    private static UpgradeEngine Postgres(string connectionString, string? upTo) => DeployChanges.To.PostgresqlDatabase(connectionString)
        .WithScriptsEmbeddedInAssembly(Scripts, name => name.Contains(".Migrations.Postgres.", StringComparison.Ordinal) && UpTo(name, upTo))
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build();

    private static UpgradeEngine Sqlite(string connectionString, string? upTo) => DeployChanges.To.SqliteDatabase(connectionString)
        .WithScriptsEmbeddedInAssembly(Scripts, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal) && UpTo(name, upTo))
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build();

    private static List<string> Pending(UpgradeEngine engine) =>
        engine.GetScriptsToExecute().Select(s => s.Name.Split(".Migrations.", 2)[^1]).ToList();

    /// <summary>Script names end "…Migrations.Provider.NNNN_what.sql"; the number decides.</summary>
    private static bool UpTo(string name, string? upTo)
    {
        if (upTo is null) return true;
        var file = name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
        file = file[(file.IndexOf('.', StringComparison.Ordinal) + 1)..];
        return string.CompareOrdinal(file[..Math.Min(upTo.Length, file.Length)], upTo) <= 0;
    }

    private static int Run(UpgradeEngine engine)
    {
        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
        return result.Scripts.Count();
    }
}
