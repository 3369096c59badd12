using System.Globalization;
using System.Text;
using System.Text.Json;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;

namespace Moderation.Pipeline.Banks;

/// <summary>
/// An operator's import file (docs/banks.md, "Import format"): every line is read and checked first, and only a
/// file without a single bad line is added, as one change (one bank version, one audit row). A bad line is
/// named by its number and reason, and nothing is imported.
/// <list type="bullet">
/// <item>TSV (any name not ending in .jsonl): <c>text [TAB source [TAB note]]</c>; in each field <c>\t</c>, <c>\n</c>
/// and <c>\\</c> stand for a tab, a newline and a backslash; blank lines and lines starting with <c>#</c> are skipped.</item>
/// <item>JSONL (.jsonl): one object per line, <c>{"text": "...", "source": "...", "note": "..."}</c>; blank lines skipped.</item>
/// </list>
/// A line without a source gets the one given on the command line.
/// </summary>
public static class BankImport
{
    public const int MaxErrorsShown = 20;

    public sealed record Result(bool Imported, IReadOnlyList<string> Errors, int Count, long Version);

    public static bool IsJsonLines(string path) => path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and checks every line; returns the entries, or the errors ("line N: reason") and no entries.</summary>
    public static (List<NewBankEntry> Entries, List<string> Errors) Read(TextReader reader, bool jsonLines, string? defaultSource, BankRecord bank)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(bank);
        var entries = new List<NewBankEntry>();
        var errors = new List<string>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line) || (!jsonLines && line.StartsWith('#')))
                continue;
            var (entry, problem) = jsonLines ? ParseJson(line) : ParseTsv(line);
            if (entry is not null)
            {
                entry = entry with { Source = entry.Source ?? defaultSource };
                problem = BankRules.Problem(entry) ?? BankTextCheckFor(bank)(entry.Text);
            }
            if (problem is not null)
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {number}: {problem}"));
            else
                entries.Add(entry!);
        }
        if (errors.Count == 0 && entries.Count == 0)
            errors.Add("the file holds no entries");
        return errors.Count > 0 ? ([], errors) : (entries, errors);
    }

    /// <summary>Reads, checks and (only when every line is good) adds the file's entries to <paramref name="bankName"/>.</summary>
    public static async Task<Result> ImportAsync(IBankStore store, ReviewActor actor, string bankName, TextReader reader, bool jsonLines, string? defaultSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var bank = await store.GetBankAsync(bankName, ct);
        if (bank is null)
            return new Result(false, [$"no bank named {bankName} (create it first: banks create)"], 0, 0);
        var (entries, errors) = Read(reader, jsonLines, defaultSource, bank);
        if (errors.Count > 0)
            return new Result(false, errors, 0, 0);
        var change = await store.AddEntriesAsync(actor, bankName, BankRules.OriginImport, entries, ct);
        return change.Outcome == Outcome.Done
            ? new Result(true, [], change.EntryIds.Count, change.Version)
            : new Result(false, [change.Detail ?? change.Outcome.ToString()], 0, 0);
    }

    private static Func<string, string?> BankTextCheckFor(BankRecord bank) =>
        text => MatcherCheck(text, bank.Category, bank.Threshold);

    /// <summary>The matcher's own check of an entry (too short to match after folding, …).</summary>
    public static string? MatcherCheck(string text, int category, double threshold) =>
        Moderation.Banks.BankIndex.Problem(new Moderation.Banks.BankEntry("import", "import", 1, category, null, Moderation.Banks.BankAction.Quarantine, threshold, text));

    private static (NewBankEntry?, string?) ParseTsv(string line)
    {
        var fields = line.Split('\t');
        if (fields.Length > 3)
            return (null, string.Create(CultureInfo.InvariantCulture, $"{fields.Length} tab-separated fields; expected text [TAB source [TAB note]] (write a tab inside a field as \\t)"));
        var values = new string?[3];
        for (var i = 0; i < fields.Length; i++)
        {
            var (value, problem) = Unescape(fields[i]);
            if (problem is not null)
                return (null, problem);
            values[i] = string.IsNullOrWhiteSpace(value) && i > 0 ? null : value;
        }
        return (new NewBankEntry(values[0]!, values[1], values[2]), null);
    }

    private static (string Value, string? Problem) Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
            return (field, null);
        var sb = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\')
            {
                sb.Append(field[i]);
                continue;
            }
            if (i + 1 == field.Length)
                return ("", "a backslash ends the field (write a backslash as \\\\)");
            var c = field[++i];
            switch (c)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case '\\': sb.Append('\\'); break;
                default: return ("", string.Create(CultureInfo.InvariantCulture, $"unknown escape \\{c} (only \\t, \\n and \\\\)"));
            }
        }
        return (sb.ToString(), null);
    }

    private static (NewBankEntry?, string?) ParseJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, "not a JSON object");
            string? Get(string name, out string? problem)
            {
                problem = null;
                if (!doc.RootElement.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                    return null;
                if (v.ValueKind != JsonValueKind.String)
                {
                    problem = $"\"{name}\" is not a string";
                    return null;
                }
                return v.GetString();
            }
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name is not ("text" or "source" or "note"))
                    return (null, $"unknown field \"{p.Name}\" (text, source, note)");
            }
            var text = Get("text", out var p1);
            var source = Get("source", out var p2);
            var note = Get("note", out var p3);
            if ((p1 ?? p2 ?? p3) is { } problem)
                return (null, problem);
            if (text is null)
                return (null, "\"text\" is missing");
            return (new NewBankEntry(text, string.IsNullOrWhiteSpace(source) ? null : source, string.IsNullOrWhiteSpace(note) ? null : note), null);
        }
        catch (JsonException ex)
        {
            return (null, "not valid JSON: " + ex.Message);
        }
    }
}
