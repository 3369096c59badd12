using System.CommandLine;
using System.Globalization;
using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;
using Npgsql;

namespace Moderation.Cli.Records;

/// <summary>
/// The record ledger by hand: <c>records verify</c> (re-walk a range of chains, name the first thing wrong in each),
/// <c>records seal</c> (close a day with the operator's key) and <c>records keygen</c> (make a P-256 key pair).
/// </summary>
internal static class LedgerCommands
{
    internal sealed record Connection(Option<string> Provider, Option<string?> ConnectionString)
    {
        public static Connection Create()
        {
            var provider = new Option<string>("--provider") { Description = "Postgres or Sqlite.", DefaultValueFactory = _ => "Postgres" };
            provider.AcceptOnlyFromAmong("Postgres", "Sqlite");
            return new(provider, new Option<string?>("--connection") { Description = "Connection string (default: MODERATION_CONNECTION)." });
        }

        public void AddTo(Command c)
        {
            c.Options.Add(Provider);
            c.Options.Add(ConnectionString);
        }

        public ILedgerStore Ledger(ParseResult p)
        {
            var cs = p.GetValue(ConnectionString) ?? Environment.GetEnvironmentVariable("MODERATION_CONNECTION")
                ?? throw new InvalidOperationException("Give --connection or set MODERATION_CONNECTION.");
            return p.GetValue(Provider) == "Sqlite" ? new SqliteLedger(cs) : new PostgresLedger(NpgsqlDataSource.Create(cs));
        }
    }

    public static Command Verify()
    {
        var c = Connection.Create();
        var platform = new Option<string?>("--platform") { Description = "Only this platform's chains (default: all)." };
        var from = new Option<DateOnly?>("--from") { Description = "First UTC day (yyyy-MM-dd)." };
        var to = new Option<DateOnly?>("--to") { Description = "Last UTC day (yyyy-MM-dd)." };
        var publicKey = new Option<FileInfo?>("--public-key") { Description = "PEM public key the daily roots must verify with (without it, signatures are not checked)." };
        var command = new Command("verify", """
            Re-walk the record ledger: every entry must follow the one before and match the row it covers; a missing row must be in
            the deletion log; every stored row must be in a chain; a sealed day's signed root must verify. Exit 0 when all is well,
            2 when anything was altered, inserted, removed or reordered, or a root does not verify.
            """) { platform, from, to, publicKey };
        c.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var key = parse.GetValue(publicKey) is { } file ? LedgerVerifierKey.FromPem(await File.ReadAllTextAsync(file.FullName, ct)) : null;
            var report = await LedgerVerification.VerifyAsync(c.Ledger(parse), parse.GetValue(platform), parse.GetValue(from), parse.GetValue(to), key, ct);
            foreach (var finding in report.Findings)
                Console.WriteLine(finding);
            var entries = report.Chains.Sum(r => r.Entries);
            var purged = report.Chains.Sum(r => r.Purged);
            var sealedDays = report.Chains.Count(r => r.RootChecked);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Chains.Count} chain(s), {entries} entries ({purged} of purged rows, checked against the deletion log), {sealedDays} signed root(s) checked; {report.Findings.Count()} problem(s)."));
            if (key is null)
                await Console.Error.WriteLineAsync("note: no --public-key given, so the daily roots' signatures were not checked (only that they match the chains).");
            return report.Intact ? 0 : 2;
        });
        return command;
    }

    public static Command Seal()
    {
        var c = Connection.Create();
        var platform = new Option<string?>("--platform") { Description = "Only this platform (default: every open chain of the day)." };
        var day = new Option<DateOnly>("--day") { Description = "The UTC day to close (yyyy-MM-dd).", Required = true };
        var privateKey = new Option<FileInfo>("--private-key") { Description = "PEM file of the operator's ECDSA P-256 signing key.", Required = true };
        var command = new Command("seal", "Close the chains of one UTC day and store their signed roots (the worker does this itself once the day is over).") { platform, day, privateKey };
        c.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var signer = LedgerSigner.FromPem(await File.ReadAllTextAsync(parse.GetValue(privateKey)!.FullName, ct));
            var ledger = c.Ledger(parse);
            var d = parse.GetValue(day);
            var chains = await ledger.ChainsAsync(parse.GetValue(platform), d, d, ct);
            foreach (var chain in chains)
            {
                var root = await ledger.SealAsync(chain.Platform, chain.Day, signer, TimeProvider.System.GetUtcNow(), ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{chain.Platform} {chain.Day:yyyy-MM-dd}: {root!.Root.Entries} entries, last {root.Root.LastHash}, key {root.KeyId}"));
            }
            if (chains.Count == 0)
                await Console.Error.WriteLineAsync("No chain for that day.");
            return 0;
        });
        return command;
    }

    public static Command Keygen()
    {
        var output = new Option<string>("--out") { Description = "Write the private key here (PEM, mode 600) and the public key beside it as FILE.pub.pem.", Required = true };
        var command = new Command("keygen", "Make an ECDSA P-256 key pair for signing the ledger's daily roots and export manifests.") { output };
        command.SetAction(async (parse, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path} exists; refusing to overwrite a key.");
                return 1;
            }
            using var signer = LedgerSigner.Generate();
            await File.WriteAllTextAsync(path, signer.PrivateKeyPem, ct);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(path + ".pub.pem", signer.PublicKeyPem, ct);
            Console.WriteLine($"private key {path}, public key {path}.pub.pem, key id {signer.KeyId}");
            return 0;
        });
        return command;
    }
}
