using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Moderation.Banks;
using Moderation.Cli.Keywords;
using Moderation.Keywords.Normalization;

namespace Moderation.Cli.Banks;

/// <summary>
/// <c>bench-banks</c>: how well and how fast the content banks catch repeats. Builds three campaigns
/// (spam, scam script, rumour) of seeded variations of project-written texts, confirms k% of each into a
/// bank, and reports recall on the rest and false matches on the clean reference rows for several
/// thresholds; checks the LSH against brute force; measures the alternatives (other shingle lengths,
/// SimHash); then matching speed on one core, memory and build time at 10k, 100k and 1M entries.
/// </summary>
internal static class BenchBanksCommand
{
    public static Command Create()
    {
        var posts = new Option<int>("--posts") { Description = "Posts per campaign.", DefaultValueFactory = _ => 2000 };
        var confirm = new Option<double>("--confirm") { Description = "Percent of each campaign confirmed into its bank.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for campaigns, confirmations and bulk entries.", DefaultValueFactory = _ => 20261201 };
        var thresholds = new Option<string>("--thresholds") { Description = "Entry thresholds (exact Jaccard) to report.", DefaultValueFactory = _ => "0.35,0.4,0.45,0.5,0.6,0.7" };
        var threshold = new Option<double>("--threshold") { Description = "The threshold of the headline and the speed runs.", DefaultValueFactory = _ => BankIndexOptions.RecommendedThreshold };
        var sizes = new Option<string>("--sizes") { Description = "Bank sizes for speed and memory.", DefaultValueFactory = _ => "10000,100000,1000000" };
        var alternatives = new Option<bool>("--alternatives") { Description = "Also measure shingle lengths 2 and 4 and SimHash.", DefaultValueFactory = _ => true };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds per speed figure (best is reported).", DefaultValueFactory = _ => 3 };
        var bands = new Option<int?>("--bands") { Description = "Override the LSH bands (to measure other settings)." };
        var rows = new Option<int?>("--rows") { Description = "Override the MinHash rows per band." };
        var shingle = new Option<int?>("--shingle") { Description = "Override the shingle length." };
        var command = new Command("bench-banks", "Benchmark content-bank matching: recall on campaigns, false matches on clean text, speed and memory up to 1M entries.")
        {
            posts, confirm, seed, thresholds, threshold, sizes, alternatives, rounds, bands, rows, shingle,
        };
        command.SetAction(parse =>
        {
            var settings = new Settings(
                parse.GetValue(posts), parse.GetValue(confirm), parse.GetValue(seed),
                ParseList(parse.GetValue(thresholds)!, double.Parse), parse.GetValue(threshold),
                ParseList(parse.GetValue(sizes)!, int.Parse), parse.GetValue(alternatives), Math.Max(1, parse.GetValue(rounds)));
            var d = new BankIndexOptions();
            settings = settings with
            {
                Options = Lowest(new BankIndexOptions
                {
                    Bands = parse.GetValue(bands) ?? d.Bands,
                    RowsPerBand = parse.GetValue(rows) ?? d.RowsPerBand,
                    ShingleLength = parse.GetValue(shingle) ?? d.ShingleLength,
                }, settings.Thresholds.Append(settings.Headline).Min()),
            };
            return Run(settings);
        });
        return command;
    }

    private sealed record Settings(int Posts, double ConfirmPercent, int Seed, double[] Thresholds, double Headline, int[] Sizes, bool Alternatives, int Rounds)
    {
        public BankIndexOptions Options { get; init; } = new();
    }

    private static T[] ParseList<T>(string s, Func<string, IFormatProvider, T> parse) =>
        [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => parse(x, CultureInfo.InvariantCulture))];

    private static int Run(Settings s)
    {
        var cleanPath = RepoPaths.SharedData("clean_zh/normalized.tsv");
        var coldPath = RepoPaths.SharedData("cold/normalized.tsv");
        var swsrPath = RepoPaths.SharedData("swsr/normalized.tsv");
        foreach (var p in new[] { cleanPath, coldPath, swsrPath })
        {
            if (!File.Exists(p))
            {
                Console.Error.WriteLine($"reference data not found: {p}");
                return 2;
            }
        }

        var defaults = s.Options;
        Out($"bench-banks: {Environment.ProcessorCount} cores, .NET {Environment.Version}, options {defaults.Tag}, min shingles {defaults.MinShingles}, window {defaults.WindowChars}");

        var cleanZh = BenchCorpora.ReadTsv(cleanPath).Select(r => r.Text).ToList();
        var cold = BenchCorpora.ReadTsv(coldPath).ToList();
        var coldClean = cold.Where(r => r.Cat == "0").Select(r => r.Text).ToList();
        Out($"clean rows: clean_zh {cleanZh.Count:N0}, COLD cat 0 {coldClean.Count:N0}");

        var runs = Campaigns(s);
        foreach (var run in runs)
        {
            Out($"campaign {run.Campaign.Name} (cat {run.Campaign.Category}/{run.Campaign.SubLabel}): {run.Confirmed.Count + run.Rest.Count:N0} posts from {run.Campaign.Seeds.Length} seed texts, {run.Confirmed.Count} confirmed ({s.ConfirmPercent}%), {run.Rest.Count:N0} to catch; e.g. {Show(run.Rest[0])}");
        }

        Out("");
        Out($"== quality: MinHash {defaults.ShingleLength}-char shingles, {defaults.Bands} bands x {defaults.RowsPerBand} rows, exact Jaccard verified ==");
        var headline = (Recall: 0.0, Clean: 0.0);
        foreach (var t in s.Thresholds.Append(s.Headline).Distinct().Order())
        {
            var q = Quality(runs, cleanZh, coldClean, defaults, t);
            if (Math.Abs(t - s.Headline) < 1e-9)
            {
                headline = (q.Recall, q.CleanShare);
            }
        }

        Out("");
        BruteForceCheck(runs, cleanZh, coldClean, defaults, s.Headline);

        if (s.Alternatives)
        {
            Out("");
            Out("== alternatives (same campaigns, same clean rows) ==");
            foreach (var k in new[] { 2, 4 })
            {
                var o = new BankIndexOptions { ShingleLength = k };
                foreach (var t in s.Thresholds)
                {
                    Quality(runs, cleanZh, coldClean, o, t, $"{k}-char shingles, ");
                }
            }

            SimHashComparison.Quality(runs, cleanZh, coldClean, defaults);
        }

        Out("");
        var postsPerSecond = Speed(s, runs, cold, cleanZh);
        Out("");
        Out(string.Create(CultureInfo.InvariantCulture,
            $"bank-bench: recall {headline.Recall * 100:F1}%, clean matched {headline.Clean * 100:F3}%, posts/s {postsPerSecond:F0} at {s.Sizes.Max()} entries"));
        return 0;
    }

    private static List<CampaignRun> Campaigns(Settings s)
    {
        var toTraditional = Traditional();
        var generator = new CampaignGenerator(toTraditional);
        var runs = new List<CampaignRun>();
        for (var c = 0; c < CampaignSeeds.All.Length; c++)
        {
            var campaign = CampaignSeeds.All[c];
            var random = new Random(s.Seed + (c * 7919));
            var posts = generator.Posts(campaign, s.Posts, random);
            var order = Enumerable.Range(0, posts.Count).OrderBy(_ => random.Next()).ToArray();
            var confirmed = (int)Math.Round(posts.Count * s.ConfirmPercent / 100);
            runs.Add(new CampaignRun(campaign,
                [.. order.Take(confirmed).Select(i => posts[i])],
                [.. order.Skip(confirmed).Select(i => posts[i])]));
        }

        return runs;
    }

    /// <summary>Simplified → traditional, the inverse of the folder's own table (first traditional form wins).</summary>
    private static Dictionary<char, char> Traditional()
    {
        using var stream = typeof(CharFolder).Assembly.GetManifestResourceStream("Moderation.Keywords.t2s.tsv")
            ?? throw new InvalidOperationException("t2s table not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var map = new Dictionary<char, char>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 3 && line[1] == '\t' && line[0] != '#')
            {
                map.TryAdd(line[2], line[0]);
            }
        }

        return map;
    }

    internal static List<BankEntry> BankEntries(IEnumerable<CampaignRun> runs, double threshold)
    {
        var entries = new List<BankEntry>();
        foreach (var run in runs)
        {
            var c = run.Campaign;
            var action = c.Name == "scam" ? BankAction.Block : BankAction.Quarantine;
            entries.AddRange(run.Confirmed.Select((text, i) =>
                new BankEntry("bench-" + c.Name, c.Name + " campaign", i, c.Category, c.SubLabel, action, threshold, text)));
        }

        return entries;
    }

    private static (double Recall, double CleanShare) Quality(
        List<CampaignRun> runs, List<string> cleanZh, List<string> coldClean, BankIndexOptions options, double threshold, string label = "")
    {
        var index = BankIndex.Build(BankEntries(runs, threshold), Lowest(options, threshold));
        var parts = new List<string>();
        int caught = 0, total = 0, wrong = 0;
        foreach (var run in runs)
        {
            var bank = "bench-" + run.Campaign.Name;
            var hit = 0;
            foreach (var post in run.Rest)
            {
                var matches = index.Match(post);
                if (matches.Any(m => m.Entry.BankId == bank))
                {
                    hit++;
                }

                wrong += matches.Count(m => m.Entry.BankId != bank);
            }

            caught += hit;
            total += run.Rest.Count;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{run.Campaign.Name} {100.0 * hit / run.Rest.Count:F1}%"));
        }

        // The import case: the bank holds only the campaign's seed texts, one entry each, with no
        // near-duplicates to give the LSH several chances.
        var seedsOnly = BankIndex.Build(runs.SelectMany(r => r.Campaign.Seeds.Select((t, i) => new BankEntry(
            "seeds-" + r.Campaign.Name, r.Campaign.Name, i, r.Campaign.Category, r.Campaign.SubLabel, BankAction.Quarantine, threshold, t))), Lowest(options, threshold));
        var seedCaught = runs.Sum(r => r.Rest.Count(t => seedsOnly.Match(t).Any(m => m.Entry.BankId == "seeds-" + r.Campaign.Name)));
        var hardHits = CampaignSeeds.HardNegatives.Count(t => index.Match(t).Count > 0);
        var cleanHits = cleanZh.Count(t => index.Match(t).Count > 0);
        var coldHits = coldClean.Count(t => index.Match(t).Count > 0);
        var recall = (double)caught / total;
        var cleanShare = (double)(cleanHits + coldHits) / (cleanZh.Count + coldClean.Count);
        Out(string.Create(CultureInfo.InvariantCulture,
            $"{label}threshold {threshold:F2}: recall {recall * 100:F1}% ({string.Join(", ", parts)}; {caught:N0}/{total:N0}), wrong-bank matches {wrong}; seed texts alone as the bank {100.0 * seedCaught / total:F1}%; clean matched {cleanHits + coldHits} = {cleanShare * 100:F3}% (clean_zh {cleanHits}/{cleanZh.Count:N0}, COLD clean {coldHits}/{coldClean.Count:N0}); on-topic clean posts (debunks, warnings) matched {hardHits}/{CampaignSeeds.HardNegatives.Length}"));
        return (recall, cleanShare);
    }

    /// <summary>How many of the posts that exact Jaccard against every entry would match does the LSH find?</summary>
    private static void BruteForceCheck(List<CampaignRun> runs, List<string> cleanZh, List<string> coldClean, BankIndexOptions options, double threshold)
    {
        var entries = BankEntries(runs, threshold);
        var index = BankIndex.Build(entries, Lowest(options, threshold));
        var sets = entries.Select(e => BankText.ShingleSet(e.Text, options)).ToArray();
        int brute = 0, both = 0, lshOnly = 0;
        foreach (var post in runs.SelectMany(r => r.Rest).Concat(cleanZh).Concat(coldClean))
        {
            var set = BankText.ShingleSet(post, options);
            var b = set.Length >= options.MinShingles && sets.Any(e => BankText.Jaccard(set, e) >= threshold);
            var l = index.Match(post).Count > 0;
            brute += b ? 1 : 0;
            both += b && l ? 1 : 0;
            lshOnly += l && !b ? 1 : 0;
        }

        // The distributions behind the thresholds: each post's best exact similarity to any entry.
        foreach (var k in new[] { 2, 3, 4 })
        {
            var o = new BankIndexOptions { ShingleLength = k };
            var own = runs.Select(r => r.Confirmed.Select(t => BankText.ShingleSet(t, o)).ToArray()).ToArray();
            var every = own.SelectMany(x => x).ToArray();
            var caught = runs.SelectMany((r, c) => r.Rest.Select(t => Best(BankText.ShingleSet(t, o), own[c]))).Order().ToArray();
            var clean = cleanZh.Concat(coldClean).Select(t => BankText.ShingleSet(t, o)).Where(x => x.Length >= o.MinShingles)
                .Select(x => Best(x, every)).Order().ToArray();
            Out(string.Create(CultureInfo.InvariantCulture,
                $"best exact similarity, {k}-char shingles: campaign posts to their bank p1 {P(caught, 0.01):F2} p5 {P(caught, 0.05):F2} p10 {P(caught, 0.10):F2} median {P(caught, 0.5):F2}; clean posts (>= {o.MinShingles} shingles) to any entry median {P(clean, 0.5):F2} p99.9 {P(clean, 0.999):F2} p99.99 {P(clean, 0.9999):F2} max {clean[^1]:F2}"));
        }

        Out(string.Create(CultureInfo.InvariantCulture,
            $"LSH vs brute force at threshold {threshold:F2} (campaign and clean posts against all {entries.Count} entries): brute force matches {brute:N0} posts, the index finds {both:N0} of them ({100.0 * both / Math.Max(1, brute):F1}%), and {lshOnly} more only through its windows of long posts"));
    }

    private static double Speed(Settings s, List<CampaignRun> runs, List<(string Text, string Cat, string Split)> cold, List<string> cleanZh)
    {
        var swsr = BenchCorpora.ReadTsv(RepoPaths.SharedData("swsr/normalized.tsv")).Select(r => r.Text);
        var material = cold.Where(r => r.Split != "test").Select(r => r.Text).Concat(swsr).ToList();
        var clauses = BenchCorpora.Clauses(material);
        var lengths = material.Select(t => t.Length).ToList();
        var random = new Random(s.Seed);
        var campaignQueries = runs.SelectMany(r => r.Rest).OrderBy(_ => random.Next()).Take(600).ToList();
        var queries = cold.Where(r => r.Split == "test").Select(r => r.Text).Concat(campaignQueries).OrderBy(_ => random.Next()).ToArray();
        var campaignEntries = BankEntries(runs, s.Headline);
        var max = s.Sizes.Max();
        Out($"== speed and memory: one thread matching {queries.Length:N0} real-length posts (COLD test rows, median {Median(queries)} chars, plus {campaignQueries.Count} campaign posts), rounds {s.Rounds}, best round ==");
        Out($"bank entries: {clauses.Count:N0} clauses of COLD train/dev and SWSR posts joined at real-post lengths (a fifth are variants of others), plus the {campaignEntries.Count} campaign entries");

        var before = GC.GetTotalMemory(true);
        var bulk = BenchCorpora.Entries(clauses, lengths, max, s.Seed, s.Headline, s.Options);
        var entriesBytes = GC.GetTotalMemory(true) - before;
        Out(string.Create(CultureInfo.InvariantCulture,
            $"{max:N0} generated entries (median {Median(bulk.Select(e => e.Text))} chars): {entriesBytes / (double)max:F0} bytes per entry as BankEntry objects with their texts"));

        // Baselines in the same process: the hashing floor (an index of one entry: folding, shingling,
        // MinHash and band keys, nothing to find) and brute force (exact Jaccard against every entry).
        var floor = BankIndex.Build([campaignEntries[0]], s.Options);
        var floorRate = Rate(floor, queries, s.Rounds, out _);
        Out(string.Create(CultureInfo.InvariantCulture, $"floor (fold, shingle, MinHash, band keys; 1-entry index): {floorRate:F0} posts/s"));

        var result = 0.0;
        BankIndex? largest = null;
        foreach (var size in s.Sizes.Order())
        {
            largest = null;
            GC.Collect();
            var entries = bulk.Take(size - campaignEntries.Count).Concat(campaignEntries).ToList();
            var m0 = GC.GetTotalMemory(true);
            var watch = Stopwatch.StartNew();
            var index = BankIndex.Build(entries, s.Options);
            var build = watch.Elapsed.TotalSeconds;
            var m1 = GC.GetTotalMemory(true);
            var rate = Rate(index, queries, s.Rounds, out var stats);
            var matched = queries.Count(q => index.Match(q).Count > 0);
            Out(string.Create(CultureInfo.InvariantCulture,
                $"{index.Count,9:N0} entries: {rate,8:F0} posts/s ({rate / floorRate:F2} of the floor), build {build:F1} s (one thread), index {(m1 - m0) / 1048576.0:F0} MiB = {(m1 - m0) / (double)index.Count:F0} bytes/entry (GC heap delta; {index.IndexBytes / (double)index.Count:F0} counted in its arrays), +{entriesBytes / (double)max:F0} for the entry objects; per post: {stats.Candidates / (double)stats.Posts:F2} candidates, {stats.Verified / (double)stats.Posts:F2} verified; {matched:N0} of {queries.Length:N0} posts matched"));
            if (size == s.Sizes.Min())
            {
                BruteForceRate(entries, queries, rate, s.Options, s.Headline);
            }

            result = rate;
            largest = index;
        }

        if (largest is not null)
        {
            Incremental(largest, runs, s.Headline);
            if (s.Alternatives)
            {
                SimHashComparison.Candidates(bulk, queries, s.Options);
            }
        }

        return result;
    }

    private static double Rate(BankIndex index, string[] queries, int rounds, out MatchStatistics stats)
    {
        stats = new MatchStatistics();
        foreach (var q in queries)
        {
            index.Match(q, stats); // warm-up, and the counters
        }

        var best = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            var found = 0;
            foreach (var q in queries)
            {
                found += index.Match(q).Count;
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            GC.KeepAlive(found);
        }

        return queries.Length / best;
    }

    private static void BruteForceRate(List<BankEntry> entries, string[] queries, double indexRate, BankIndexOptions options, double threshold)
    {
        var sets = entries.Select(e => BankText.ShingleSet(e.Text, options)).ToArray();
        var sample = queries.Take(300).ToArray();
        var watch = Stopwatch.StartNew();
        var found = 0;
        foreach (var q in sample)
        {
            var set = BankText.ShingleSet(q, options);
            foreach (var e in sets)
            {
                if (BankText.Jaccard(set, e) >= threshold)
                {
                    found++;
                    break;
                }
            }
        }

        var rate = sample.Length / watch.Elapsed.TotalSeconds;
        Out(string.Create(CultureInfo.InvariantCulture,
            $"baseline: brute-force exact Jaccard against all {entries.Count:N0} entries: {rate:F0} posts/s; the index is {indexRate / rate:F0}x faster"));
    }

    /// <summary>Adds and removes one at a time on the largest index, as confirms and releases arrive.</summary>
    private static void Incremental(BankIndex index, List<CampaignRun> runs, double threshold)
    {
        var generator = new CampaignGenerator(new Dictionary<char, char>());
        var text = "本店新到一批高仿名表和证件，全国包邮，支持货到付款，需要的朋友私信我看实物图，微信号在主页，价格好商量，量大从优，非诚勿扰。";
        var entry = new BankEntry("bench-new", "new bank", 1, 9, "fraud", BankAction.Block, threshold, text);
        var probe = generator.Vary(new Campaign("new", 9, "fraud", [text], []), text, new Random(7));
        var before = index.Match(probe).Count;
        var watch = Stopwatch.StartNew();
        var added = index.Add(entry);
        var addMs = watch.Elapsed.TotalMilliseconds;
        var after = added.Match(probe).Count;

        var many = runs.SelectMany(r => r.Rest).Take(1000)
            .Select((t, i) => new BankEntry("bench-stream", "stream", i, 9, null, BankAction.Quarantine, threshold, t)).ToList();
        var current = added;
        watch.Restart();
        foreach (var e in many)
        {
            current = current.Add(e);
        }

        var addEach = watch.Elapsed.TotalMilliseconds / many.Count;
        watch.Restart();
        foreach (var e in many)
        {
            current = current.Remove(e.Key);
        }

        var removeEach = watch.Elapsed.TotalMilliseconds / many.Count;
        watch.Restart();
        var compacted = current.Compact();
        var compactSeconds = watch.Elapsed.TotalSeconds;
        Out(string.Create(CultureInfo.InvariantCulture,
            $"incremental at {index.Count:N0} entries: one add {addMs:F1} ms (a variant of the new text matched before: {before > 0}, after: {after > 0}); 1,000 adds one by one {addEach:F2} ms each, 1,000 removes {removeEach:F2} ms each (delta {current.DeltaCount}); compaction {compactSeconds:F1} s; versions: after add+remove {(current.Version == added.Version ? "equal to" : "differ from")} before, compacted {(compacted.Version == current.Version ? "equal" : "differ")}"));
    }

    /// <summary>The options with their lowest accepted threshold lowered to <paramref name="threshold"/> when needed (exploring below the default).</summary>
    private static BankIndexOptions Lowest(BankIndexOptions o, double threshold) => new()
    {
        ShingleLength = o.ShingleLength,
        Bands = o.Bands,
        RowsPerBand = o.RowsPerBand,
        MinShingles = o.MinShingles,
        WindowChars = o.WindowChars,
        Seed = o.Seed,
        MinThreshold = Math.Min(o.MinThreshold, threshold),
    };

    private static double Best(ulong[] set, ulong[][] entries)
    {
        var best = 0.0;
        foreach (var e in entries)
        {
            best = Math.Max(best, BankText.Jaccard(set, e));
        }

        return best;
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static int Median(IEnumerable<string> texts)
    {
        var lengths = texts.Select(t => t.Length).Order().ToArray();
        return lengths.Length == 0 ? 0 : lengths[lengths.Length / 2];
    }

    private static string Show(string text) => text.Length <= 60 ? text : text[..60] + "…";

    internal static void Out(string line) => Console.WriteLine(line);
}
