using System.CommandLine;
using Moderation.Storage;

namespace Moderation.Worker;

/// <summary>
/// `create-roles`: the least-privilege PostgreSQL roles (moderation_owner, moderation_worker, moderation_review) and the
/// database owned by the first, from a superuser connection (docs/security.md "Database roles"). Passwords come from
/// the environment, so they appear in no process list or shell history.
/// </summary>
public static class CreateRolesCommand
{
    public const string AdminVariable = "MODERATION_PG_ADMIN";
    public const string OwnerPasswordVariable = "MODERATION_OWNER_PASSWORD";
    public const string WorkerPasswordVariable = "MODERATION_WORKER_PASSWORD";
    public const string ReviewPasswordVariable = "MODERATION_REVIEW_PASSWORD";

    public static Command Create()
    {
        var database = new Option<string>("--database")
        {
            Description = "The database to create (or hand over) owned by moderation_owner.",
            DefaultValueFactory = _ => "moderation",
        };
        var command = new Command("create-roles", $"""
            Create the PostgreSQL roles moderation_owner (owns the schema, runs migrations), moderation_worker and moderation_review
            (runtime: rows only) and the database owned by moderation_owner; idempotent. The superuser connection string comes from
            {AdminVariable}, the passwords from {OwnerPasswordVariable}, {WorkerPasswordVariable} and {ReviewPasswordVariable}.
            Then migrate as moderation_owner and run the apps as their runtime role (docs/security.md).
            """)
        {
            database,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var admin = Environment.GetEnvironmentVariable(AdminVariable);
            if (string.IsNullOrWhiteSpace(admin))
            {
                await error.WriteLineAsync($"Set {AdminVariable} to a superuser connection string, e.g. Host=db;Username=postgres;Password=…");
                return 2;
            }
            RolePasswords passwords;
            try
            {
                passwords = new RolePasswords(
                    Environment.GetEnvironmentVariable(OwnerPasswordVariable) ?? "",
                    Environment.GetEnvironmentVariable(WorkerPasswordVariable) ?? "",
                    Environment.GetEnvironmentVariable(ReviewPasswordVariable) ?? "");
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync($"{ex.Message} (set {OwnerPasswordVariable}, {WorkerPasswordVariable} and {ReviewPasswordVariable}).");
                return 2;
            }
            var name = parse.GetValue(database)!;
            await DatabaseRoles.CreateAsync(admin, name, passwords, ct);
            Console.WriteLine($"Roles {DatabaseRoles.Owner}, {DatabaseRoles.Worker}, {DatabaseRoles.Review} ready; database {name} owned by {DatabaseRoles.Owner}.");
            return 0;
        });
        return command;
    }
}
