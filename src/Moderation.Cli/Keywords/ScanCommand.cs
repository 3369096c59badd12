using System.CommandLine;
using System.Text.Json;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Cli.Keywords;

/// <summary>
/// <c>scan [file]</c>: one text per line (plain, or JSON lines with a "text" field) from a file or
/// stdin; prints exactly one JSON line per input line, empty lines included, each with its line
/// number: the hits (original UTF-16 offsets, at most --max-hits per term and category, the rest
/// counted), the normalised and the masked text — or, for a line that cannot be scanned (a JSON
/// "text" holding a lone surrogate escape), the reason; the run goes on with the next line.
/// </summary>
internal static class ScanCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var input = new Argument<string?>("input") { Description = "File to read (default: standard input).", Arity = ArgumentArity.ZeroOrOne };
        var lexiconDirs = new Option<string[]>("--lexicon-dir") { Description = "Extra lexicon directory (or file), loaded with the default lexicon. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var noDefault = new Option<bool>("--no-default") { Description = "Do not load the shipped default lexicon." };
        var maxHits = new Option<int>("--max-hits") { Description = "Hits listed per term and category in one line; the rest are counted (hitsOmitted).", DefaultValueFactory = _ => KeywordEngine.DefaultMaxHitsPerTerm };
        var command = new Command("scan", "Scan texts with the keyword engine and print hits as JSON lines, one per input line.") { input, lexiconDirs, noDefault, maxHits };
        command.SetAction(parse =>
        {
            var paths = new List<string>();
            if (!parse.GetValue(noDefault))
            {
                paths.Add(KeywordOptions.DefaultDirectory);
            }

            paths.AddRange(parse.GetValue(lexiconDirs) ?? []);
            KeywordEngine engine;
            try
            {
                engine = KeywordEngine.Compile(LexiconLoader.Load(paths));
            }
            catch (LexiconLoadException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            var file = parse.GetValue(input);
            using var reader = file is null or "-" ? Console.In : new StreamReader(file);
            using var stdout = Console.OpenStandardOutput();
            using var writer = new StreamWriter(stdout, new System.Text.UTF8Encoding(false));
            Run(reader, writer, engine, Math.Max(1, parse.GetValue(maxHits)));
            return 0;
        });
        return command;
    }

    /// <summary>One JSON line out per line in, in order; a line that cannot be scanned gets its reason and the run goes on.</summary>
    internal static void Run(TextReader reader, TextWriter writer, KeywordEngine engine, int maxHitsPerTerm)
    {
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            var (text, error) = ExtractText(line);
            if (error is not null)
            {
                writer.WriteLine(JsonSerializer.Serialize(new ScanError(lineNo, error), Json));
                continue;
            }

            var result = engine.Scan(text!, maxHitsPerTerm);
            var output = new ScanLine(
                lineNo,
                engine.Version,
                [.. result.Hits.Select(h => new ScanHit(h.Term, h.Category, h.SubLabel, h.Severity, h.Start, h.End, h.Matched))],
                result.HitsOmitted,
                KeywordEngine.Normalize(text!),
                result.MaskedText);
            writer.WriteLine(JsonSerializer.Serialize(output, Json));
        }
    }

    /// <summary>The text to scan (the line itself, or a JSON line's "text"), or why the line cannot be scanned.</summary>
    internal static (string? Text, string? Error) ExtractText(string line)
    {
        if (line.Length == 0 || line[0] != '{')
        {
            return (line, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
            {
                return (line, null);
            }

            try
            {
                return (t.GetString(), null);
            }
            catch (InvalidOperationException)
            {
                // The same sentence the worker's intake gives for a body like this.
                return (null, "text holds an unpaired UTF-16 surrogate (an escaped \\uD800-\\uDFFF without its pair).");
            }
        }
        catch (JsonException)
        {
            return (line, null); // not JSON after all: scan the line as text
        }
    }

    private sealed record ScanLine(int Line, string Lexicon, IReadOnlyList<ScanHit> Hits, int HitsOmitted, string Normalized, string Masked);

    private sealed record ScanError(int Line, string Error);

    private sealed record ScanHit(string Term, int Category, string? SubLabel, int Severity, int Start, int End, string Matched);
}
