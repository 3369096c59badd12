using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Lexicons;

namespace Moderation.Cli.Keywords;

/// <summary>
/// <c>bench-lexicon-build</c>: how long an operator's big lexicon takes to load and compile. Writes a
/// seeded synthetic lexicon file per size (default 100k, 300k, 1M terms), then times
/// <see cref="LexiconLoader.Load"/> (parse and hash) and <see cref="KeywordEngine.Compile"/> separately,
/// and prints time per term, so a superlinear build shows as a growing µs/term.
/// </summary>
internal static class BenchLexiconBuildCommand
{
    public static Command Create()
    {
        var sizes = new Option<int[]>("--terms") { Description = "Lexicon sizes to build (repeatable).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [100_000, 300_000, 1_000_000] };
        var seed = new Option<int>("--seed") { Description = "Term generator seed.", DefaultValueFactory = _ => 20261201 };
        var command = new Command("bench-lexicon-build", "Time loading and compiling synthetic lexicons of 100k, 300k and 1M terms.") { sizes, seed };
        command.SetAction(parse =>
        {
            foreach (var n in parse.GetValue(sizes) ?? [])
            {
                var line = Run(n, parse.GetValue(seed));
                Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }

    internal static string Run(int termCount, int seed)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"bench-lexicon-{Environment.ProcessId}-{termCount}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "synthetic.tsv"), Generate(termCount, seed), new UTF8Encoding(false));
            GC.Collect();
            var watch = Stopwatch.StartNew();
            var set = LexiconLoader.Load([dir]);
            var load = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var engine = KeywordEngine.Compile(set);
            var compile = watch.Elapsed.TotalSeconds;
            var a = engine.Automaton;
            return string.Create(CultureInfo.InvariantCulture,
                $"lexicon-build: {termCount:N0} terms: load {load:F2} s, compile {compile:F2} s ({compile * 1e6 / termCount:F2} µs/term); {a.States:N0} states in {a.Slots:N0} slots ({(double)a.Slots / a.States:F3}), {a.AlphabetSize:N0} symbols, {a.MemoryBytes / 1048576.0:F0} MiB");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Terms of 2–8 characters: mostly Han drawn from the 3,500 most common code points of the CJK
    /// block (skewed towards the start, as real usage is), some with a Latin or digit run mixed in,
    /// some all-Latin; each with a category, sub-label and severity like an operator's list.
    /// </summary>
    private static string Generate(int termCount, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(termCount * 24);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var term = new StringBuilder(16);
        while (seen.Count < termCount)
        {
            term.Clear();
            var length = 2 + random.Next(7);
            var kind = random.Next(20);
            for (var i = 0; i < length; i++)
            {
                if (kind == 0 || (kind == 1 && i >= length / 2))
                {
                    term.Append((char)('a' + random.Next(26)));
                }
                else
                {
                    // Square of a uniform variate: small offsets (common characters) are the most likely.
                    var u = random.NextDouble();
                    term.Append((char)(0x4E00 + (int)(u * u * 3500)));
                }
            }

            var t = term.ToString();
            if (seen.Add(t))
            {
                sb.Append(t).Append('\t').Append(1 + random.Next(9)).Append("\tsynthetic\t").Append(1 + random.Next(3)).Append('\n');
            }
        }

        return sb.ToString();
    }
}
