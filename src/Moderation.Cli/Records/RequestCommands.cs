using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Moderation.Core.Ledger;
using Moderation.Storage.Compliance;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Cli.Records;

/// <summary>
/// Lawful requests from the command line (<c>records requests register|approve|reject|list|export</c>), the same store
/// and rules as the review API; and <c>records verify-export</c>, which checks an export with only the public key.
/// The CLI's actor is <c>--as NAME</c> (audited with the method "cli"): whoever holds the database credentials could
/// claim any name, so the API, with its logins, is the place for the four-eyes rule in daily work.
/// </summary>
internal static class RequestCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Requests()
    {
        var command = new Command("requests", "Lawful requests (clause 1.5): register, approve or reject (a second person), list, export signed.");
        command.Subcommands.Add(Register());
        command.Subcommands.Add(Decide(approve: true));
        command.Subcommands.Add(Decide(approve: false));
        command.Subcommands.Add(List());
        command.Subcommands.Add(Export());
        return command;
    }

    private sealed record Common(LedgerCommands.Connection Connection, Option<string> As)
    {
        public static Common Create() => new(LedgerCommands.Connection.Create(),
            new Option<string>("--as") { Description = "Your name, as the audit log records it.", Required = true });

        public void AddTo(Command c)
        {
            Connection.AddTo(c);
            c.Options.Add(As);
        }

        public ILawfulRequests Store(ParseResult p)
        {
            var cs = p.GetValue(Connection.ConnectionString) ?? Environment.GetEnvironmentVariable("MODERATION_CONNECTION")
                ?? throw new InvalidOperationException("Give --connection or set MODERATION_CONNECTION.");
            return p.GetValue(Connection.Provider) == "Sqlite"
                ? new SqliteLawfulRequests(cs, TimeProvider.System)
                : new PostgresLawfulRequests(NpgsqlDataSource.Create(cs), TimeProvider.System);
        }

        public ReviewActor Actor(ParseResult p) => new(p.GetValue(As)!, ["compliance"], "cli", null, "moderation-cli", false);
    }

    private static Command Register()
    {
        var c = Common.Create();
        var authority = new Option<string>("--authority") { Description = "The authority that asks.", Required = true };
        var document = new Option<string>("--document") { Description = "Its document number.", Required = true };
        var basis = new Option<string>("--basis") { Description = "The legal basis it names.", Required = true };
        var platform = new Option<string>("--platform") { Description = "Platform the request concerns.", Required = true };
        var author = new Option<string?>("--author") { Description = "Only this author's posts." };
        var contentIds = new Option<string[]>("--content-id") { Description = "Only these posts (repeat the option).", AllowMultipleArgumentsPerToken = true };
        var ip = new Option<string?>("--ip") { Description = "Only posts from this source IP." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Published at or after (ISO 8601)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Published before (ISO 8601)." };
        var command = new Command("register", "Register a lawful request; prints its id.") { authority, document, basis, platform, author, contentIds, ip, from, to };
        c.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            var request = await c.Store(p).RegisterAsync(c.Actor(p), new LawfulRequestDraft(p.GetValue(authority)!, p.GetValue(document)!, p.GetValue(basis)!,
                new LawfulRequestScope(p.GetValue(platform)!, p.GetValue(author), p.GetValue(contentIds), p.GetValue(ip), p.GetValue(from), p.GetValue(to))), ct);
            Console.WriteLine(request.RequestId);
            return 0;
        });
        return command;
    }

    private static Command Decide(bool approve)
    {
        var c = Common.Create();
        var id = new Argument<Guid>("id") { Description = "The request." };
        var reason = new Option<string>("--reason") { Description = "Why.", Required = true };
        var command = new Command(approve ? "approve" : "reject", approve ? "Approve a request someone else registered." : "Reject a request someone else registered.") { id, reason };
        c.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            var result = await c.Store(p).DecideAsync(c.Actor(p), p.GetValue(id), approve, p.GetValue(reason)!, ct);
            if (result.Outcome != RequestOutcome.Done)
            {
                await Console.Error.WriteLineAsync($"{result.Outcome}: {result.Detail}");
                return result.Outcome == RequestOutcome.Forbidden ? 4 : 1;
            }
            Console.WriteLine($"{result.Request!.RequestId} {result.Request.Status}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var c = LedgerCommands.Connection.Create();
        var status = new Option<string?>("--status") { Description = "pending, approved, rejected or exported." };
        var command = new Command("list", "List lawful requests, newest first, as JSON.") { status };
        c.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            var cs = p.GetValue(c.ConnectionString) ?? Environment.GetEnvironmentVariable("MODERATION_CONNECTION")
                ?? throw new InvalidOperationException("Give --connection or set MODERATION_CONNECTION.");
            ILawfulRequests store = p.GetValue(c.Provider) == "Sqlite"
                ? new SqliteLawfulRequests(cs, TimeProvider.System)
                : new PostgresLawfulRequests(NpgsqlDataSource.Create(cs), TimeProvider.System);
            Console.WriteLine(JsonSerializer.Serialize(await store.ListAsync(p.GetValue(status), 500, ct), Json));
            return 0;
        });
        return command;
    }

    private static Command Export()
    {
        var c = Common.Create();
        var id = new Argument<Guid>("id") { Description = "An approved request." };
        var privateKey = new Option<FileInfo>("--private-key") { Description = "PEM file of the operator's ECDSA P-256 signing key.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory to write records.jsonl, manifest.json, manifest.sig and public-key.pem to.", Required = true };
        var command = new Command("export", "Run the signed export of an approved request (once) and write it to a directory.") { id, privateKey, output };
        c.AddTo(command);
        command.SetAction(async (p, ct) =>
        {
            using var signer = LedgerSigner.FromPem(await File.ReadAllTextAsync(p.GetValue(privateKey)!.FullName, ct));
            var store = c.Store(p);
            var result = await store.ExportAsync(c.Actor(p), p.GetValue(id), signer, ct);
            if (result.Outcome != RequestOutcome.Done)
            {
                await Console.Error.WriteLineAsync($"{result.Outcome}: {result.Detail}");
                return 1;
            }
            var bundle = (await store.DownloadAsync(c.Actor(p), p.GetValue(id), ct))!;
            await bundle.WriteToAsync(p.GetValue(output)!.FullName, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bundle.RecordCount} record(s) exported to {p.GetValue(output)!.FullName}, signed with key {signer.KeyId}"));
            return 0;
        });
        return command;
    }

    public static Command VerifyExport()
    {
        var path = new Argument<string>("path") { Description = "The export: a directory, or the zip the review API hands out." };
        var publicKey = new Option<FileInfo>("--public-key") { Description = "The operator's public key (PEM), obtained independently of the export.", Required = true };
        var command = new Command("verify-export", """
            Check a lawful-request export offline with only the operator's public key: the manifest's signature, every record's hash and
            ledger entries, the chain links to each day's end and the signed daily roots. Exit 0 when it all holds, 2 otherwise.
            """) { path, publicKey };
        command.SetAction(async (p, ct) =>
        {
            using var key = LedgerVerifierKey.FromPem(await File.ReadAllTextAsync(p.GetValue(publicKey)!.FullName, ct));
            var dir = p.GetValue(path)!;
            string? scratch = null;
            if (File.Exists(dir))
            {
                scratch = Directory.CreateTempSubdirectory("verify-export-").FullName;
                await ZipFile.ExtractToDirectoryAsync(dir, scratch, ct);
                dir = scratch;
            }
            try
            {
                var result = await ExportVerifier.VerifyAsync(dir, key, ct);
                foreach (var problem in result.Problems)
                    Console.WriteLine("PROBLEM " + problem);
                foreach (var note in result.Notes)
                    Console.WriteLine("note: " + note);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Records} record(s); {result.Problems.Count} problem(s); {(result.Valid ? "the export is intact and signed by key " + key.KeyId : "the export does NOT verify")}."));
                return result.Valid ? 0 : 2;
            }
            finally
            {
                if (scratch is not null)
                    Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }
}
