using Microsoft.Data.Sqlite;
using Moderation.Worker;

namespace Moderation.Core.Tests.Worker;

public sealed class MigrateCommandTests
{
    [Fact]
    public void Migrate_creates_the_schema_in_the_configured_database_and_can_run_again()
    {
        var path = Path.Combine(Path.GetTempPath(), $"migrate-{Guid.NewGuid():N}.db");
        var cs = $"Data Source={path};Pooling=false";
        try
        {
            // Through the worker's own command line, as an operator runs it; twice, since a second run must find nothing to do.
            Assert.Equal(0, WorkerCommandLine.Create().Parse(["migrate", $"--Moderation:Storage:ConnectionString={cs}"]).Invoke());
            Assert.Equal(0, WorkerCommandLine.Create().Parse(["migrate", $"--Moderation:Storage:ConnectionString={cs}"]).Invoke());

            using var conn = new SqliteConnection(cs);
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)";
            var tables = (string)cmd.ExecuteScalar()!;
            foreach (var table in new[] { "decisions", "post_records", "quarantine", "report_cases", "takedowns" })
                Assert.Contains(table, tables);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
