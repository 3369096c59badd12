using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Moderation.Storage;
using Npgsql;

namespace Moderation.Cli.Records;

/// <summary>
/// <c>records export</c> (clause 1.5 / 3: produce records on lawful request, as JSON lines or a printable
/// text) and <c>records hold</c> (clause 6: freeze the records an incident covers). Both take the same
/// filters; every produced record says whether its evidence hash still matches.
/// </summary>
internal static class RecordsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static Command Create()
    {
        var command = new Command("records", "Produce stored records on lawful request, place them under legal hold, verify, seal and sign the record ledger.");
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Hold());
        command.Subcommands.Add(LedgerCommands.Verify());
        command.Subcommands.Add(LedgerCommands.Seal());
        command.Subcommands.Add(LedgerCommands.Keygen());
        command.Subcommands.Add(RequestCommands.Requests());
        command.Subcommands.Add(RequestCommands.VerifyExport());
        return command;
    }

    internal sealed record Filters(Option<string> Provider, Option<string?> Connection, Option<string> Platform, Option<string?> Author,
        Option<string?> ContentId, Option<DateTimeOffset?> From, Option<DateTimeOffset?> To, Option<int> Limit)
    {
        public static Filters Create() => new(
            Accepting(new Option<string>("--provider") { Description = "Postgres or Sqlite.", DefaultValueFactory = _ => "Postgres" }, "Postgres", "Sqlite"),
            new Option<string?>("--connection") { Description = "Connection string (default: MODERATION_CONNECTION)." },
            new Option<string>("--platform") { Description = "Platform (tenant) the request concerns.", Required = true },
            new Option<string?>("--author") { Description = "Only this author's posts." },
            new Option<string?>("--content-id") { Description = "Only this post (all versions)." },
            new Option<DateTimeOffset?>("--from") { Description = "Published at or after (ISO 8601)." },
            new Option<DateTimeOffset?>("--to") { Description = "Published before (ISO 8601)." },
            new Option<int>("--limit") { Description = "At most this many records.", DefaultValueFactory = _ => 10_000 });

        /// <summary>Adds the filters; <paramref name="withLimit"/> only where records are read (a hold covers every match).</summary>
        public void AddTo(Command c, bool withLimit = true)
        {
            foreach (var o in new Option[] { Provider, Connection, Platform, Author, ContentId, From, To })
                c.Options.Add(o);
            if (withLimit)
                c.Options.Add(Limit);
        }

        /// <summary>Says so on standard error when a limit cut the answer short: a lawful request must not look complete when it is not.</summary>
        public void WarnIfTruncated(ParseResult p, int count)
        {
            if (count >= p.GetValue(Limit))
                Console.Error.WriteLine($"warning: stopped at --limit {p.GetValue(Limit)}; more records may match. Narrow the filters or raise --limit.");
        }

        public RecordQuery Query(ParseResult p) => new(p.GetValue(Platform)!, p.GetValue(Author), p.GetValue(ContentId), p.GetValue(From), p.GetValue(To), p.GetValue(Limit));

        public IModerationStore Store(ParseResult p)
        {
            var cs = p.GetValue(Connection) ?? Environment.GetEnvironmentVariable("MODERATION_CONNECTION")
                ?? throw new InvalidOperationException("Give --connection or set MODERATION_CONNECTION.");
            return p.GetValue(Provider) == "Sqlite"
                ? new SqliteModerationStore(cs)
                : new PostgresModerationStore(NpgsqlDataSource.Create(cs));
        }
    }

    private static Command Export()
    {
        var f = Filters.Create();
        var format = Accepting(new Option<string>("--format") { Description = "jsonl (one record per line) or text (printable).", DefaultValueFactory = _ => "jsonl" }, "jsonl", "text");
        var output = new Option<string?>("--out") { Description = "Write to this file instead of standard output." };
        var command = new Command("export", "Produce the records a lawful request covers, each with its evidence hash re-checked.") { format, output };
        f.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            // Streamed: each record is written as soon as it is read, so a large request is never held in memory.
            await using var writer = parse.GetValue(output) is { } path ? new StreamWriter(path) : new StreamWriter(Console.OpenStandardOutput());
            var (count, altered) = (0, 0);
            await foreach (var r in f.Store(parse).ProduceAsync(f.Query(parse), ct))
            {
                count++;
                if (!r.EvidenceIntact)
                    altered++;
                if (parse.GetValue(format) == "text")
                    await writer.WriteAsync(Printable(r).AsMemory(), ct);
                else
                    await writer.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        record = r.Post.Record, decision = r.Post.Decision, evidenceSha256 = r.Post.EvidenceSha256,
                        evidenceIntact = r.EvidenceIntact, legalHold = r.LegalHold,
                    }, Json).AsMemory(), ct);
            }
            await writer.FlushAsync(ct);
            f.WarnIfTruncated(parse, count);
            await Console.Error.WriteLineAsync($"{count} record(s); {altered} with evidence that no longer matches its hash.");
            return altered == 0 ? 0 : 3;
        });
        return command;
    }

    private static Command Hold()
    {
        var f = Filters.Create();
        var command = new Command("hold", "Place the matching records under legal hold so no retention purge removes them (clause 6).");
        f.AddTo(command, withLimit: false);
        command.SetAction(async (parse, ct) =>
        {
            var held = await f.Store(parse).PlaceLegalHoldAsync(f.Query(parse), ct);
            Console.WriteLine($"{held} record(s) placed under legal hold.");
            return 0;
        });
        return command;
    }

    private static Option<string> Accepting(Option<string> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    private static string Printable(ProducedRecord r)
    {
        var (rec, d) = (r.Post.Record, r.Post.Decision);
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"""
            ==== {rec.Platform} / {rec.ContentId} v{rec.Version} ====
            service type   {rec.ServiceType}
            author         {rec.AuthorId}
            source         {rec.SourceIp}{(rec.SourcePort is { } port ? ":" + port.ToString(c) : "")}
            published      {rec.PublishedAt:O}
            received       {rec.ReceivedAt:O}
            retain until   {rec.RetainUntil:O}{(r.LegalHold ? "  (legal hold)" : "")}
            content sha256 {rec.ContentSha256}
            decision       {d.Action} [{string.Join(",", d.Categories)}] at {d.DecidedAt:O} (id {d.DecisionId})
            versions       lexicon {d.LexiconVersion}, model {d.ModelVersion}, policy {d.PolicyVersion}
            reasons        {string.Join("; ", d.Reasons)}
            evidence       {r.Post.EvidenceSha256} {(r.EvidenceIntact ? "(intact)" : "(DOES NOT MATCH: altered since it was recorded)")}
            ---- content ----
            {rec.Text}

            """);
    }
}
