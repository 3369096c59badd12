using System.Globalization;
using System.Text.RegularExpressions;
using Moderation.Cli.Faults;
using Moderation.Operations.Tests.Infrastructure;
using Moderation.Storage;
using Npgsql;

namespace Moderation.Operations.Tests;

/// <summary>
/// Start-up as an operator sees it, with the real executables: a dependency that is down gives one clear line
/// (what, where, which setting), a bounded wait and exit code 3 — never a stack trace; and a worker started while
/// its database is down (MigrateOnStart=false, the rolling-deployment setting) waits and then works, sending
/// nothing to the error queue.
/// </summary>
[Collection(ScratchCollection.Name)]
public sealed partial class StartupTests(ScratchServices services)
{
    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    private Dictionary<string, string> WorkerEnv(string connectionString, int? rabbitPort = null, string queue = "startup.content-published") => new()
    {
        ["Moderation__Bus__Transport"] = "RabbitMq",
        ["Moderation__Bus__Host"] = "127.0.0.1",
        ["Moderation__Bus__Port"] = (rabbitPort ?? services.RabbitPort).ToString(CultureInfo.InvariantCulture),
        ["Moderation__Bus__IntakeQueue"] = queue,
        ["Moderation__Bus__TakedownCompletedQueue"] = queue.Replace("content-published", "takedown-completed", StringComparison.Ordinal),
        ["Moderation__Storage__Provider"] = "Postgres",
        ["Moderation__Storage__ConnectionString"] = connectionString,
        ["Moderation__Startup__DependencyTimeout"] = "00:00:04",
        ["Moderation__Startup__RetryInterval"] = "00:00:01",
    };

    private static void AssertOneLineAndNoStackTrace(string output, string expected)
    {
        var critical = output.Split('\n').Where(l => l.Contains("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(critical.Count == 1, $"expected one critical line, got {critical.Count}:\n{output}");
        Assert.Contains(expected, critical[0], StringComparison.Ordinal);
        Assert.False(StackFrame().IsMatch(output), $"a stack trace was printed:\n{output}");
    }

    [Fact]
    public async Task A_worker_whose_database_is_down_says_what_where_and_which_setting_and_exits_3()
    {
        var port = Shell.FreePort();
        await using var worker = AppProcess.Start("Moderation.Worker", WorkerEnv($"Host=127.0.0.1;Port={port};Database=moderation;Username=postgres;Password=postgres"));
        Assert.Equal(3, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneLineAndNoStackTrace(worker.Output, $"PostgreSQL at 127.0.0.1:{port}/moderation (Moderation:Storage:ConnectionString) is still not available after");
    }

    [Fact]
    public async Task A_worker_whose_broker_is_down_says_so_and_exits_3()
    {
        var port = Shell.FreePort();
        var db = await services.CreateDatabaseAsync("startup");
        await using var worker = AppProcess.Start("Moderation.Worker", WorkerEnv(db, rabbitPort: port));
        Assert.Equal(3, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneLineAndNoStackTrace(worker.Output, $"RabbitMQ at 127.0.0.1:{port} (Moderation:Bus:Host) is still not available after");
    }

    [Fact]
    public async Task Without_MigrateOnStart_a_worker_on_an_unmigrated_database_names_the_missing_migrations_and_exits_3()
    {
        var db = await services.CreateDatabaseAsync("startup");
        var env = WorkerEnv(db);
        env["Moderation__Storage__MigrateOnStart"] = "false";
        await using var worker = AppProcess.Start("Moderation.Worker", env);
        Assert.Equal(3, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneLineAndNoStackTrace(worker.Output, "Database schema is still not available after");
        Assert.Contains("Moderation:Storage:MigrateOnStart is false; run `Moderation.Worker migrate`", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_review_app_whose_database_is_down_says_so_and_exits_3()
    {
        var port = Shell.FreePort();
        await using var review = AppProcess.Start("Moderation.Review", new Dictionary<string, string>
        {
            ["Moderation__Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Moderation"] = $"Host=127.0.0.1;Port={port};Database=moderation;Username=postgres;Password=postgres",
            ["Moderation__Bus__Transport"] = "RabbitMq",
            ["Moderation__Bus__Host"] = "127.0.0.1",
            ["Moderation__Bus__Port"] = services.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["Moderation__Review__ApiKeys__0__Name"] = "ops",
            ["Moderation__Review__ApiKeys__0__KeySha256"] = Review.Auth.ReviewerDirectory.HashApiKey("ops-key"),
            ["Moderation__Review__ApiKeys__0__Roles__0"] = "admin",
            ["Moderation__Startup__DependencyTimeout"] = "00:00:04",
            ["Moderation__Startup__RetryInterval"] = "00:00:01",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Shell.FreePort()}",
        });
        Assert.Equal(3, await review.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneLineAndNoStackTrace(review.Output, $"PostgreSQL at 127.0.0.1:{port}/moderation (Moderation:Storage:ConnectionString) is still not available after");
    }

    [Fact]
    public async Task Without_MigrateOnStart_a_worker_started_while_its_database_is_down_waits_then_works_and_dead_letters_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var queue = $"startup-{run}.content-published";
        var db = await services.CreateDatabaseAsync("startup");
        DatabaseMigrator.ApplyPostgres(db); // migrated beforehand, as a rolling deployment does
        await using (var connection = await services.Broker().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await Posts.PublishAsync(services.Broker(), queue, Enumerable.Range(0, 10).Select(i => ($"{run}-{i}", Posts.Json(run, $"p-{i}"))));

        var env = WorkerEnv(db, queue: queue);
        env["Moderation__Storage__MigrateOnStart"] = "false";
        env["Moderation__Startup__DependencyTimeout"] = "00:01:00";
        await services.StopDatabaseAsync();
        AppProcess? worker = null;
        try
        {
            worker = AppProcess.Start("Moderation.Worker", env);
            await Wait.UntilAsync(() => Task.FromResult(worker.Output.Contains("is not available: ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the worker saying it waits for PostgreSQL");
        }
        finally
        {
            await services.StartDatabaseAsync();
        }
        try
        {
            await Wait.UntilAsync(async () => await CountAsync(db, run) == 10, TimeSpan.FromSeconds(60), "the 10 posts recorded once the database was up");
            Assert.Equal(0u, await services.DepthAsync(queue + "_error"));
            Assert.Contains("ready after", worker.Output, StringComparison.Ordinal);
            await worker.TerminateAsync();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(35)));
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }

    internal static async Task<long> CountAsync(string db, string platform)
    {
        try
        {
            await using var conn = new NpgsqlConnection(db + ";Pooling=false");
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM post_records WHERE platform = @p", conn);
            cmd.Parameters.AddWithValue("p", platform);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }
}
