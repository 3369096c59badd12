using Npgsql;

namespace Moderation.Storage;

/// <summary>
/// Least-privilege PostgreSQL roles (docs/security.md "Database roles"): <see cref="Owner"/> owns the database and its
/// schema and runs the migrations; the worker and the review app connect as <see cref="Worker"/> and <see cref="Review"/>,
/// which read and write rows but own nothing, so they cannot alter, drop or disable anything, cannot rewrite the
/// append-only tables and cannot set session_replication_role. Run by `Moderation.Worker create-roles` with a superuser
/// connection; idempotent (a second run sets the passwords again and re-applies the rights).
/// </summary>
public static class DatabaseRoles
{
    public const string Owner = "moderation_owner";
    public const string Worker = "moderation_worker";
    public const string Review = "moderation_review";

    /// <summary>
    /// Creates the three roles (or resets their passwords and attributes), creates <paramref name="database"/> owned by
    /// <see cref="Owner"/> or hands an existing one and everything in its public schema to it, and grants the runtime
    /// roles their rights (migration 0230's moderation_grant_runtime_rights, when the database has been migrated).
    /// </summary>
    /// <param name="adminConnectionString">A superuser (or CREATEROLE + CREATEDB) connection; its Database is only where the roles are created from.</param>
    public static async Task CreateAsync(string adminConnectionString, string database, RolePasswords passwords, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        // Not pooled: the advisory lock below must end with this connection, not live on in a pool.
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync(ct);
        // One run at a time (two concurrent ALTER ROLEs of one role fail with "tuple concurrently updated"); the lock
        // goes with this connection.
        await ExecuteAsync(admin, "SELECT pg_advisory_lock(hashtextextended('moderation:create-roles', 0))", ct);
        await EnsureRoleAsync(admin, Owner, passwords.Owner, ct);
        await EnsureRoleAsync(admin, Worker, passwords.Worker, ct);
        await EnsureRoleAsync(admin, Review, passwords.Review, ct);
        // A runtime role that is a member of the owner would inherit ownership.
        await ExecuteAsync(admin, $"REVOKE {Owner} FROM {Worker}, {Review}", ct);

        var exists = await ScalarAsync(admin, "SELECT 1 FROM pg_database WHERE datname = @name", database, ct) is not null;
        if (!exists)
        {
            try
            {
                await ExecuteAsync(admin, $"CREATE DATABASE {Ident(database)} OWNER {Owner}", ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                exists = true; // created meanwhile by someone else
            }
        }
        if (exists)
            await ExecuteAsync(admin, $"ALTER DATABASE {Ident(database)} OWNER TO {Owner}", ct);
        await ExecuteAsync(admin, $"REVOKE ALL ON DATABASE {Ident(database)} FROM PUBLIC", ct);
        await ExecuteAsync(admin, $"GRANT CONNECT ON DATABASE {Ident(database)} TO {Worker}, {Review}", ct);

        var inDatabase = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, Pooling = false }.ConnectionString;
        await using var db = new NpgsqlConnection(inDatabase);
        await db.OpenAsync(ct);
        // Only the owner creates objects; a database migrated before the roles existed has its objects handed over,
        // so that the runtime roles, owning nothing, can alter nothing.
        await ExecuteAsync(db, $"""
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            ALTER SCHEMA public OWNER TO {Owner};
            DO $$
            DECLARE r record;
            BEGIN
                FOR r IN
                    SELECT c.oid::regclass AS name, c.relkind
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                      AND c.relowner <> '{Owner}'::regrole
                      -- Sequences that belong to a column move with their table.
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO {Owner}',
                        CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                        r.name);
                END LOOP;
                FOR r IN
                    SELECT p.oid::regprocedure AS name, p.prokind
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.proowner <> '{Owner}'::regrole
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO {Owner}', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.name);
                END LOOP;
                IF to_regprocedure('public.moderation_grant_runtime_rights()') IS NOT NULL THEN
                    PERFORM moderation_grant_runtime_rights();
                END IF;
            END
            $$;
            """, ct);
    }

    private static async Task EnsureRoleAsync(NpgsqlConnection conn, string role, string password, CancellationToken ct)
    {
        // Utility statements take no parameters: the password goes in as a quoted literal (RolePasswords refused what cannot be quoted).
        const string attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";
        var literal = "'" + password.Replace("'", "''", StringComparison.Ordinal) + "'";
        if (await ScalarAsync(conn, "SELECT 1 FROM pg_roles WHERE rolname = @name", role, ct) is null)
        {
            try
            {
                await ExecuteAsync(conn, $"CREATE ROLE {role} {attributes} PASSWORD {literal}", ct);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateObject)
            {
                // created meanwhile: fall through and set its password and attributes
            }
        }
        await ExecuteAsync(conn, $"ALTER ROLE {role} {attributes} PASSWORD {literal}", ct);
    }

    private static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("name", name);
        return await cmd.ExecuteScalarAsync(ct);
    }
}

/// <summary>The three roles' passwords (from the environment, never the command line: docs/security.md).</summary>
public sealed record RolePasswords
{
    public RolePasswords(string owner, string worker, string review)
    {
        Owner = Check(owner, nameof(owner));
        Worker = Check(worker, nameof(worker));
        Review = Check(review, nameof(review));
    }

    public string Owner { get; }
    public string Worker { get; }
    public string Review { get; }

    private static string Check(string password, string name)
    {
        if (string.IsNullOrEmpty(password) || password.Length < 12)
            throw new ArgumentException($"The {name} role's password must be at least 12 characters.");
        if (password.Any(char.IsControl))
            throw new ArgumentException($"The {name} role's password may not contain control characters.");
        return password;
    }

    public override string ToString() => "RolePasswords { *** }";
}
