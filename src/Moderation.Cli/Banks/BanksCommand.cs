using System.CommandLine;
using System.Globalization;
using Moderation.Banks;
using Moderation.Pipeline.Banks;
using Moderation.Storage;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Cli.Banks;

/// <summary>
/// <c>banks</c>: operator commands on the content banks of the moderation database: <c>create</c> a bank,
/// <c>import</c> a file of texts (all or nothing), <c>list</c> the banks. Changes are audited with the operator as
/// "cli:&lt;user&gt;" and reach running workers within their poll interval.
/// </summary>
internal static class BanksCommand
{
    public static Command Create()
    {
        var command = new Command("banks", "Content banks: create a bank, import a file of known texts, list the banks.");
        command.Subcommands.Add(CreateBank());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        return command;
    }

    private sealed record Db(Option<string> Provider, Option<string?> Connection)
    {
        public static Db Create() => new(
            new Option<string>("--provider") { Description = "Postgres or Sqlite.", DefaultValueFactory = _ => "Postgres" },
            new Option<string?>("--connection") { Description = "Connection string (default: MODERATION_CONNECTION)." });

        public void AddTo(Command c)
        {
            c.Options.Add(Provider);
            c.Options.Add(Connection);
        }

        /// <summary>The store, after applying pending migrations (the banks tables may be new to this database).</summary>
        public IBankStore Store(ParseResult p)
        {
            var cs = p.GetValue(Connection) ?? Environment.GetEnvironmentVariable("MODERATION_CONNECTION")
                ?? throw new InvalidOperationException("Give --connection or set MODERATION_CONNECTION.");
            var provider = p.GetValue(Provider);
            if (provider is not ("Postgres" or "Sqlite"))
                throw new InvalidOperationException("--provider must be Postgres or Sqlite.");
            if (provider == "Sqlite")
            {
                DatabaseMigrator.ApplySqlite(cs);
                return new SqliteBankStore(cs, TimeProvider.System);
            }
            DatabaseMigrator.ApplyPostgres(cs);
            return new PostgresBankStore(NpgsqlDataSource.Create(cs), TimeProvider.System);
        }
    }

    /// <summary>Who the audit log names for a command-line change.</summary>
    internal static ReviewActor Operator() => new("cli:" + Environment.UserName, ["operator"], "cli", null, null, MaySupervise: true);

    private static Command CreateBank()
    {
        var db = Db.Create();
        var name = new Argument<string>("name") { Description = "Bank name: a-z, 0-9, '.', '_', '-' (e.g. cat6-rumours)." };
        var category = new Option<int>("--category") { Description = "Clause 1.3 category, 1-9.", Required = true };
        var subLabel = new Option<string?>("--sub-label") { Description = "Optional sub-label (e.g. rumour, scam)." };
        var action = new Option<string>("--action") { Description = "quarantine or block.", DefaultValueFactory = _ => BankRules.Quarantine };
        var threshold = new Option<double>("--threshold") { Description = "Least similarity (exact Jaccard of 3-character shingles) that matches.", DefaultValueFactory = _ => BankIndexOptions.RecommendedThreshold };
        var description = new Option<string?>("--description") { Description = "What the bank holds." };
        var command = new Command("create", "Create a bank.") { name, category, subLabel, action, threshold, description };
        db.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var bank = new NewBank(parse.GetValue(name)!, parse.GetValue(category), parse.GetValue(subLabel), parse.GetValue(action)!, parse.GetValue(threshold), parse.GetValue(description));
            var problem = BankRules.Problem(bank)
                ?? (bank.Threshold < new BankIndexOptions().MinThreshold ? $"threshold must be at least {new BankIndexOptions().MinThreshold.ToString(CultureInfo.InvariantCulture)}" : null);
            if (problem is not null)
            {
                Console.Error.WriteLine($"banks create: {problem}");
                return 1;
            }
            var result = await db.Store(parse).CreateBankAsync(Operator(), bank, ct);
            if (result.Outcome != Outcome.Done)
            {
                Console.Error.WriteLine($"banks create: {result.Detail}");
                return 1;
            }
            Console.WriteLine($"created bank {bank.Name} (bank version {result.Version})");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var db = Db.Create();
        var file = new Argument<FileInfo>("file") { Description = "TSV (text [TAB source [TAB note]]) or JSONL (.jsonl: {text, source, note}); see docs/banks.md." };
        var bank = new Option<string>("--bank") { Description = "The bank to fill (must exist).", Required = true };
        var source = new Option<string?>("--source") { Description = "Source for lines that name none (a fact-check site, a case number)." };
        var command = new Command("import", "Import a file of texts into a bank: every line is checked first; one bad line and nothing is imported.") { file, bank, source };
        db.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"banks import: no file {path.FullName}");
                return 1;
            }
            using var reader = new StreamReader(path.FullName, detectEncodingFromByteOrderMarks: true);
            var result = await BankImport.ImportAsync(db.Store(parse), Operator(), parse.GetValue(bank)!, reader, BankImport.IsJsonLines(path.Name), parse.GetValue(source), ct);
            if (!result.Imported)
            {
                foreach (var e in result.Errors.Take(BankImport.MaxErrorsShown))
                    Console.Error.WriteLine($"{path.Name}: {e}");
                if (result.Errors.Count > BankImport.MaxErrorsShown)
                    Console.Error.WriteLine($"... and {result.Errors.Count - BankImport.MaxErrorsShown} more");
                Console.Error.WriteLine("banks import: nothing imported");
                return 1;
            }
            Console.WriteLine($"imported {result.Count} entries into {parse.GetValue(bank)} (bank version {result.Version})");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var db = Db.Create();
        var command = new Command("list", "List the banks with their settings and active entries.");
        db.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var store = db.Store(parse);
            Console.WriteLine($"bank version {await store.VersionAsync(ct)}");
            foreach (var b in await store.ListBanksAsync(ct))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{b.Name}\tcategory {b.Category}{(b.SubLabel is null ? "" : "/" + b.SubLabel)}\t{b.Action}\tthreshold {b.Threshold}\t{(b.Enabled ? "enabled" : "disabled")}\t{b.ActiveEntries} active entries"));
            return 0;
        });
        return command;
    }
}
