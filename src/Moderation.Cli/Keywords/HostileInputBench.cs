using System.Diagnostics;
using System.Globalization;
using System.Text;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Cli.Keywords;

/// <summary>
/// The part of <c>bench-keywords</c> that answers issue 12's findings 8–9 and the cost of the word-boundary
/// check: the whole hit pipeline (<see cref="KeywordEngine.Find"/>: automaton, allow phrases, dedupe,
/// word boundaries, the cap of 20 hits per term) with the shipped lexicon and the reference lexicon
/// loaded together, on 100,000-character posts built to hurt it, each against 100,000 characters of the
/// ordinary benchmark text, best of the rounds.
/// </summary>
internal static class HostileInputBench
{
    private const int PostChars = 100_000;

    public static void Run(LexiconSet reference, string ordinaryText, int rounds)
    {
        var shipped = LexiconLoader.Load([KeywordOptions.DefaultDirectory]);
        var both = new LexiconSet([.. shipped.Entries, .. reference.Entries], shipped.AllowPhrases, shipped.Files, "bench");
        var engine = KeywordEngine.Compile(both);
        var plain = KeywordEngine.Compile(both, wordBoundaries: false);
        var load = Stopwatch.StartNew();
        WordBoundaries.WarmUp();
        var loadSeconds = load.Elapsed.TotalSeconds;

        // Throughput of the whole pipeline on the benchmark text, with and without the word-boundary check.
        var sample = ordinaryText[..Math.Min(ordinaryText.Length, 2_000_000)];
        var mb = Encoding.UTF8.GetByteCount(sample) / 1e6;
        var with = Best(rounds, () => engine.Find(sample));
        var without = Best(rounds, () => plain.Find(sample));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"find-hits (automaton + allow phrases + cap + word boundaries, {both.Entries.Count:N0} terms): {mb / with:F0} MB/s; without the word-boundary check: {mb / without:F0} MB/s; jieba dictionary loaded in {loadSeconds:F2} s"));

        // Real short posts: everyday chat lines and reviews (clean, so every hit is a false alarm).
        var cleanPath = RepoPaths.SharedData("clean_zh/normalized.tsv");
        if (File.Exists(cleanPath))
        {
            var posts = File.ReadLines(cleanPath).Skip(1).Select(l => l.Split('\t')[0].Trim('"')).Where(t => t.Length > 0).ToArray();
            var flaggedWith = posts.Count(p => engine.Find(p).Hits.Count > 0);
            var flaggedWithout = posts.Count(p => plain.Find(p).Hits.Count > 0);
            var shippedOnly = KeywordEngine.Compile(shipped);
            var shippedPlain = KeywordEngine.Compile(shipped, wordBoundaries: false);
            var shippedWith = posts.Count(p => shippedOnly.Find(p).Hits.Count > 0);
            var shippedWithout = posts.Count(p => shippedPlain.Find(p).Hits.Count > 0);
            var perPostWith = Best(rounds, () => Array.ForEach(posts, p => engine.Find(p))) / posts.Length;
            var perPostWithout = Best(rounds, () => Array.ForEach(posts, p => plain.Find(p))) / posts.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"clean_zh ({posts.Length:N0} posts): {1 / perPostWith:N0} posts/s with the word-boundary check, {1 / perPostWithout:N0} without (one thread); posts with a hit: shipped lexicon {shippedWith} (without the check {shippedWithout}), with the reference lexicon {flaggedWith} (without {flaggedWithout})"));
        }

        var ordinary = ordinaryText[..PostChars];
        var baseline = Best(rounds, () => engine.Find(ordinary));
        var worst = 0.0;
        var lines = new List<string>();
        foreach (var (name, post) in Posts())
        {
            var seconds = Best(rounds, () => engine.Find(post));
            var ratio = seconds / baseline;
            worst = Math.Max(worst, ratio);
            var found = engine.Find(post);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {name,-44} {seconds * 1e3,7:F2} ms  {ratio,5:F1}×  ({found.Hits.Count} listed, {found.HitsOmitted:N0} counted)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hostile-input: worst {worst:F1}× ordinary text (limit 10×), ordinary 100,000 chars {baseline * 1e3:F2} ms"));
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    private static IEnumerable<(string Name, string Post)> Posts()
    {
        yield return ("hit flood: 傻逼 × 50,000", Repeat("傻逼"));
        yield return ("allow flood: 傻逼 × 49,998 + 鸦片战争", Repeat("傻逼", PostChars - 4) + "鸦片战争");
        yield return ("allow phrase × 25,000: 鸦片战争", Repeat("鸦片战争"));
        yield return ("allow around hits: 吸鸦片鸦片战争", Repeat("吸鸦片鸦片战争"));
        yield return ("separators: 冰\\u200B毒★ repeated", Repeat("冰\u200B毒★"));
        yield return ("leetspeak: b1tch sh1t 5h1t repeated", Repeat("b1tch sh1t 5h1t "));
        yield return ("one long word of digits and letters: a1", Repeat("a1"));
        yield return ("repeats: 销售售麻黄素 repeated", Repeat("销售售麻黄素"));
        yield return ("repeats: 冰冰毒毒 repeated", Repeat("冰冰毒毒"));
        yield return ("one character × 100,000: 售", Repeat("售"));
        yield return ("symbols with leet readings: k@粉 海|洛·因", Repeat("k@粉海|洛·因"));
        yield return ("symbols only: @|$!+ repeated", Repeat("@|$!+"));
        yield return ("word-boundary look-alikes: 门口交通", Repeat("门口交通"));
        yield return ("varied look-alikes: X口交Y, X and Y random", VariedLookAlikes());
    }

    private static string Repeat(string unit, int length = PostChars)
    {
        var sb = new StringBuilder(length + unit.Length);
        while (sb.Length < length)
        {
            sb.Append(unit);
        }

        return sb.ToString(0, length);
    }

    /// <summary>口交 between random common characters: every context differs, so the cache does not help and the per-post budget must.</summary>
    private static string VariedLookAlikes()
    {
        var random = new Random(7);
        var sb = new StringBuilder(PostChars + 8);
        while (sb.Length < PostChars)
        {
            sb.Append((char)(0x4E00 + random.Next(3000))).Append("口交").Append((char)(0x4E00 + random.Next(3000))).Append('，');
        }

        return sb.ToString(0, PostChars);
    }

    private static double Best(int rounds, Action action)
    {
        action(); // warm-up
        var best = double.MaxValue;
        for (var i = 0; i < Math.Max(3, rounds); i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }
}
