using Dapper;
using Moderation.Integration.Tests.Infrastructure;
using Moderation.Storage;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Integration.Tests.Storage;

/// <summary>
/// Issue 12, finding 7, on the real PostgreSQL: the apps' runtime roles (created by `create-roles`, as the compose file
/// does) can do their work but cannot unguard or rewrite the audit log. The roles are cluster-wide with fixed names, so
/// this class creates them idempotently (same passwords every run) and never drops them; its databases are its own.
/// </summary>
public sealed class LeastPrivilegeRolesTests : IAsyncLifetime
{
    private static readonly RolePasswords Passwords = new("owner-test-password", "worker-test-password", "review-test-password");
    private static readonly TimeProvider Time = TimeProvider.System;
    private TemporaryDatabase _db = null!;

    private string As(string role, string password) =>
        new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = role, Password = password, Pooling = false }.ConnectionString;

    private string Owner => As(DatabaseRoles.Owner, Passwords.Owner);
    private string Worker => As(DatabaseRoles.Worker, Passwords.Worker);
    private string Review => As(DatabaseRoles.Review, Passwords.Review);

    public async Task InitializeAsync()
    {
        var name = $"roles_{Guid.NewGuid():N}";
        _db = new TemporaryDatabase(name, new NpgsqlConnectionStringBuilder(TestServices.PostgresAdmin) { Database = name }.ConnectionString);
        await DatabaseRoles.CreateAsync(TestServices.PostgresAdmin, name, Passwords, default);
        // As the apps do with both strings configured: the runtime role's connection, and the owner's for migrations.
        DatabaseMigrator.Apply(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = Worker, MigrationConnectionString = Owner });
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    public static TheoryData<string, string> ForbiddenStatements() => new()
    {
        { "ALTER TABLE review_audit_log DISABLE TRIGGER review_audit_log_no_update_delete", "disable the trigger" },
        { "ALTER TABLE review_audit_log DISABLE TRIGGER ALL", "disable all triggers" },
        { "DROP TRIGGER review_audit_log_no_update_delete ON review_audit_log", "drop the trigger" },
        { "CREATE OR REPLACE FUNCTION review_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$", "replace the trigger's function" },
        { "ALTER TABLE review_audit_log ADD COLUMN forged boolean", "alter the table" },
        { "DROP TABLE review_audit_log", "drop the table" },
        { "UPDATE review_audit_log SET actor = 'someone-else'", "update rows" },
        { "DELETE FROM review_audit_log", "delete rows" },
        { "TRUNCATE review_audit_log", "truncate" },
        { "SET session_replication_role = replica", "turn triggers off for the session" },
        { "CREATE TABLE sneaky (x int)", "create a table" },
        { "INSERT INTO schemaversions (scriptname, applied) VALUES ('9999_fake.sql', now())", "fake a migration" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenStatements))]
    public async Task Neither_runtime_role_may(string sql, string what)
    {
        foreach (var cs in new[] { Worker, Review })
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await conn.ExecuteAsync("INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action) VALUES (now(), 'x', '{}', 'test', 'probe')");
            var refused = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(sql));
            // 42501 insufficient_privilege: refused for the role's rights, not by the trigger (P0001) it meant to get around.
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{what}: {refused.SqlState} {refused.MessageText}");
        }
        // The guard is still in place: the trigger still refuses an UPDATE by the owner.
        await using var owner = new NpgsqlConnection(Owner);
        await owner.OpenAsync();
        var stillGuarded = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync("UPDATE review_audit_log SET actor = 'someone-else'"));
        Assert.Contains("append-only", stillGuarded.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runtime_roles_do_their_work_and_the_schema_belongs_to_the_owner()
    {
        await using var worker = NpgsqlDataSource.Create(Worker);
        await using var review = NpgsqlDataSource.Create(Review);
        var post = ModerationStoreContract.Post("roles-1", severity: 1, category: 7);
        Assert.True(Assert.Single(await new PostgresModerationStore(worker).SaveAsync([post], default)).Inserted);

        var id = post.Decision.DecisionId;
        var mod = new ReviewActor("mod1", ["moderator"], "password", "192.0.2.1", "test", false);
        var commands = new PostgresReviewCommands(review, Time);
        Assert.Equal(Outcome.Done, (await commands.ClaimAsync(mod, id, TimeSpan.FromMinutes(10), 20, default)).Outcome);
        Assert.Equal(Outcome.Done, (await commands.AddNoteAsync(mod, id, "looks like spam", default)).Outcome);
        var now = Time.GetUtcNow();
        await new PostgresReviewSessions(review).CreateAsync(
            new NewSession(Guid.NewGuid(), new string('a', 64), "mod1", ["moderator"], "password", "fp", now, now.AddHours(1), null, null), default);
        var audit = new PostgresAuditLog(review, Time);
        await audit.AppendAsync(mod, "probe", id, null, default);
        Assert.Contains(await audit.ListAsync(id, null, null, 50, default), e => e.Action == "probe");

        await using var conn = await worker.OpenConnectionAsync();
        // Sessions (token hashes, reviewers' addresses) are the review app's alone.
        var denied = await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteScalarAsync<long>("SELECT count(*) FROM review_sessions"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Empty(await conn.QueryAsync<string>(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') AND pg_get_userbyid(c.relowner) <> @owner",
            new { owner = DatabaseRoles.Owner }));
    }

    [Fact]
    public async Task Tables_of_later_migrations_get_the_rights_by_default_and_append_only_ones_lose_rewriting()
    {
        await using (var owner = new NpgsqlConnection(Owner))
        {
            await owner.OpenAsync();
            // What a later migration (another branch's 0300-0449) does, as the owner.
            await owner.ExecuteAsync("""
                CREATE TABLE later_rows (id int PRIMARY KEY, v text);
                CREATE TABLE later_ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
                CREATE FUNCTION later_ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append-only'; END $$;
                CREATE TRIGGER later_ledger_guard BEFORE UPDATE OR DELETE ON later_ledger FOR EACH ROW EXECUTE FUNCTION later_ledger_is_append_only();
                """);
        }
        // create-roles again (idempotent), e.g. after a migration that forgot its own revokes.
        await DatabaseRoles.CreateAsync(TestServices.PostgresAdmin, new NpgsqlConnectionStringBuilder(_db.ConnectionString).Database!, Passwords, default);

        await using var conn = new NpgsqlConnection(Review);
        await conn.OpenAsync();
        await conn.ExecuteAsync("INSERT INTO later_rows VALUES (1, 'a'); UPDATE later_rows SET v = 'b'; DELETE FROM later_rows");
        await conn.ExecuteAsync("INSERT INTO later_ledger (v) VALUES ('a')");
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM later_ledger"));
        foreach (var sql in new[] { "UPDATE later_ledger SET v = 'b'", "DELETE FROM later_ledger", "TRUNCATE later_ledger" })
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(sql))).SqlState);
    }

    [Fact]
    public async Task A_database_migrated_before_the_roles_existed_is_handed_to_the_owner()
    {
        await using var old = await TestServices.CreateDatabaseAsync("roles_old");
        DatabaseMigrator.ApplyPostgres(old.ConnectionString); // as postgres, as every deployment did before
        var name = new NpgsqlConnectionStringBuilder(old.ConnectionString).Database!;
        await DatabaseRoles.CreateAsync(TestServices.PostgresAdmin, name, Passwords, default);

        var review = new NpgsqlConnectionStringBuilder(old.ConnectionString) { Username = DatabaseRoles.Review, Password = Passwords.Review, Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(review);
        await conn.OpenAsync();
        await conn.ExecuteAsync("INSERT INTO review_audit_log (occurred_at, actor, actor_roles, auth_method, action) VALUES (now(), 'x', '{}', 'test', 'probe')");
        foreach (var sql in new[] { "ALTER TABLE review_audit_log DISABLE TRIGGER review_audit_log_no_update_delete", "DELETE FROM review_audit_log" })
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => conn.ExecuteAsync(sql))).SqlState);
        Assert.Equal(DatabaseRoles.Owner, await conn.ExecuteScalarAsync<string>("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'review_audit_log'"));
    }
}
