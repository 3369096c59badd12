using System.CommandLine;
using System.Text.Json;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Cli.Keywords;

/// <summary>
/// <c>scan [file]</c>: one text per line (plain, or JSON lines with a "text" field) from a file or
/// stdin; prints one JSON line per text with hits (original UTF-16 offsets) and the normalised text.
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
        var command = new Command("scan", "Scan texts with the keyword engine and print hits as JSON lines.") { input, lexiconDirs, noDefault };
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
            while (reader.ReadLine() is { } line)
            {
                var text = ExtractText(line);
                if (text is null)
                {
                    continue;
                }

                var result = engine.Scan(text);
                var output = new ScanLine(
                    engine.Version,
                    [.. result.Hits.Select(h => new ScanHit(h.Term, h.Category, h.SubLabel, h.Severity, h.Start, h.End, h.Matched))],
                    KeywordEngine.Normalize(text),
                    result.MaskedText);
                writer.WriteLine(JsonSerializer.Serialize(output, Json));
            }

            return 0;
        });
        return command;
    }

    private static string? ExtractText(string line)
    {
        if (line.Length == 0)
        {
            return null;
        }

        if (line[0] == '{')
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    return t.GetString();
                }
            }
            catch (JsonException)
            {
                // not JSON after all: scan the line as text
            }
        }

        return line;
    }

    private sealed record ScanLine(string Lexicon, IReadOnlyList<ScanHit> Hits, string Normalized, string Masked);

    private sealed record ScanHit(string Term, int Category, string? SubLabel, int Severity, int Start, int End, string Matched);
}
