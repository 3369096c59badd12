using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Moderation.Detection;
using Moderation.Detection.Hosting;
using Moderation.Detection.Links;
using Moderation.Detection.Patterns;
using Moderation.Cli.Decisions;

namespace Moderation.Cli.Detection;

/// <summary>
/// <c>detect [file]</c>: the solicitation detector on one text per line (file or stdin); one JSON line out
/// per line in, empty lines included, with the line number: each category's severity, every hit with its
/// kind and the exact text it covers, and the pattern file and line of every lure. For trying pattern lists.
/// </summary>
internal static class DetectCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var input = new Argument<string?>("input") { Description = "File to read (default: standard input).", Arity = ArgumentArity.ZeroOrOne };
        var patternDirs = new Option<string[]>("--pattern-dir") { Description = "Extra pattern directory (or file), loaded after the shipped lists. Repeatable." };
        var noDefault = new Option<bool>("--no-default") { Description = "Do not load the shipped pattern lists." };
        var domainLists = new Option<string?>("--domain-lists") { Description = "A folder holding gambling.txt, porn.txt, scam.txt, drugs.txt, phishing.txt to check links against." };
        var command = new Command("detect", "Run the solicitation detector on texts and print its findings as JSON lines.") { input, patternDirs, noDefault, domainLists };
        command.SetAction(parse =>
        {
            var paths = new List<string>();
            if (!parse.GetValue(noDefault))
                paths.Add(DetectionOptions.DefaultDirectory);
            paths.AddRange(parse.GetValue(patternDirs) ?? []);
            var lists = new List<DomainListOptions>();
            if (parse.GetValue(domainLists) is { } dir)
            {
                foreach (var (name, category, sub) in EvaluateDecisionsCommand.ReferenceLists)
                {
                    var path = Path.GetFullPath(Path.Combine(dir, name));
                    if (File.Exists(path))
                        lists.Add(new DomainListOptions { Path = path, Category = category, SubLabel = sub });
                }
            }

            DetectorRules rules;
            try
            {
                rules = DetectorRules.Load(paths, lists);
            }
            catch (RuleLoadException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            var file = parse.GetValue(input);
            using var reader = file is null or "-" ? Console.In : new StreamReader(file);
            using var writer = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false));
            var lineNo = 0;
            while (reader.ReadLine() is { } text)
            {
                lineNo++;
                var r = SolicitationDetector.Detect(rules, text);
                writer.WriteLine(JsonSerializer.Serialize(new
                {
                    line = lineNo,
                    rules = rules.Version,
                    severity = r.SeverityByCategory.ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
                    hits = r.Hits.Select(h => new { h.Kind, h.Term, h.Category, h.SubLabel, h.Severity, h.Start, h.End, text = h.Start >= 0 ? text[h.Start..h.End] : null, h.Matched }),
                    lures = r.Lures.Select(l => $"{l.Category}/{l.SubLabel} {l.Pattern} w{l.Weight} ({l.File}:{l.Line})"),
                    counter = r.CounterCues.Select(c => c.Phrase),
                }, Json));
            }

            return 0;
        });
        return command;
    }
}
