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

    public static void ApplyPostgres(string connectionString)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());
        Run(Postgres(connectionString));
    }

    public static void ApplySqlite(string connectionString) => Run(Sqlite(connectionString));

    /// <summary>Names of the migrations not yet applied (for a worker that must not migrate, only check).</summary>
    public static IReadOnlyList<string> PendingPostgres(string connectionString) => Pending(Postgres(connectionString));

    public static IReadOnlyList<string> PendingSqlite(string connectionString) => Pending(Sqlite(connectionString));

    private static UpgradeEngine Postgres(string connectionString) => DeployChanges.To.PostgresqlDatabase(connectionString)
        .WithScriptsEmbeddedInAssembly(Scripts, name => name.Contains(".Migrations.Postgres.", StringComparison.Ordinal))
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build();

    private static UpgradeEngine Sqlite(string connectionString) => DeployChanges.To.SqliteDatabase(connectionString)
        .WithScriptsEmbeddedInAssembly(Scripts, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal))
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build();

    private static List<string> Pending(UpgradeEngine engine) =>
        engine.GetScriptsToExecute().Select(s => s.Name.Split(".Migrations.", 2)[^1]).ToList();

    private static void Run(UpgradeEngine engine)
    {
        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
    }
}
