using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Moderation.Cli.Keywords;
using Moderation.Detection;
using Moderation.Detection.Hosting;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;
using Moderation.Ml.Data;

namespace Moderation.Cli.Detection;

/// <summary>
/// <c>bench-detection</c>: the solicitation detector's own speed in posts per second on one thread, on
/// real short posts (clean_zh plus the project's labelled examples, repeated), with the keyword engine
/// (shipped lexicon) timed on the same posts in the same run for scale. Best of interleaved rounds.
/// </summary>
internal static class BenchDetectionCommand
{
    public static Command Create()
    {
        var posts = new Option<int>("--posts") { Description = "Posts per timed round.", DefaultValueFactory = _ => 100_000 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per scanner (best is reported).", DefaultValueFactory = _ => 5 };
        var data = new Option<string[]>("--data") { Description = "Labelled TSV files to take the posts from instead of clean_zh and the project examples. Repeatable." };
        var command = new Command("bench-detection", "Benchmark the solicitation detector (posts/s, one thread) beside the keyword engine on the same posts.") { posts, rounds, data };
        command.SetAction(parse =>
        {
            var texts = new List<string>();
            var clean = RepoPaths.SharedData("clean_zh/normalized.tsv");
            var files = parse.GetValue(data) ?? [];
            foreach (var f in files)
                texts.AddRange(LabelledTsv.Read(f).Select(r => r.Text));
            if (files.Length == 0 && File.Exists(clean))
                texts.AddRange(LabelledTsv.Read(clean).Select(r => r.Text));
            if (files.Length == 0 && Directory.Exists(ModelCliPaths.ExamplesDirectory))
            {
                foreach (var f in Directory.EnumerateFiles(ModelCliPaths.ExamplesDirectory, "*.tsv"))
                    texts.AddRange(LabelledTsv.Read(f).Select(r => r.Text));
            }

            if (texts.Count == 0)
            {
                Console.Error.WriteLine($"no posts found ({clean}, {ModelCliPaths.ExamplesDirectory})");
                return 2;
            }

            var n = parse.GetValue(posts);
            var sample = Enumerable.Range(0, n).Select(i => texts[i % texts.Count]).ToArray();
            var rules = DetectorRules.Load([DetectionOptions.DefaultDirectory], []);
            var engine = KeywordEngine.Compile(LexiconLoader.Load([KeywordOptions.DefaultDirectory]));
            var chars = sample.Sum(t => (long)t.Length);

            var detectorHits = 0L;
            var keywordHits = 0L;
            var (det, kw) = BestInterleaved(
                parse.GetValue(rounds),
                () =>
                {
                    detectorHits = 0;
                    foreach (var t in sample)
                        detectorHits += SolicitationDetector.Detect(rules, t).Hits.Count;
                },
                () =>
                {
                    keywordHits = 0;
                    foreach (var t in sample)
                        keywordHits += engine.FindHits(t).Count;
                });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"detector: {n / det:N0} posts/s one thread ({rules.Version}, {rules.Entries.Count:N0} patterns); keyword engine on the same posts: {n / kw:N0} posts/s ({engine.Version}, {engine.Lexicon.Entries.Count:N0} terms)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"posts: {n:N0} per round from {texts.Count:N0} distinct ({(files.Length == 0 ? "clean_zh and project examples" : string.Join(", ", files.Select(Path.GetFileName)))}), mean {chars / (double)n:0.0} chars; hits per round: detector {detectorHits:N0}, keyword {keywordHits:N0}"));
            return 0;
        });
        return command;
    }

    private static (double A, double B) BestInterleaved(int rounds, Action a, Action b)
    {
        a();
        b();
        var bestA = double.MaxValue;
        var bestB = double.MaxValue;
        for (var i = 0; i < Math.Max(1, rounds); i++)
        {
            var sw = Stopwatch.StartNew();
            a();
            bestA = Math.Min(bestA, sw.Elapsed.TotalSeconds);
            sw.Restart();
            b();
            bestB = Math.Min(bestB, sw.Elapsed.TotalSeconds);
        }

        return (bestA, bestB);
    }
}
