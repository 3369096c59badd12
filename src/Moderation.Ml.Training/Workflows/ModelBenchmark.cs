using System.Diagnostics;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Workflows;

public sealed record BenchmarkResult(int Posts, double Seconds, double PostsPerSecond, long ZipBytes, int PostLength)
{
    public double ZipMiB => ZipBytes / 1024.0 / 1024.0;
}

/// <summary>Single-thread predictions per second on fixed-length posts, through the pooled serving path.</summary>
public static class ModelBenchmark
{
    public static BenchmarkResult Run(LoadedModel model, IReadOnlyList<string> sourceTexts, double seconds = 3, int postLength = 100)
    {
        var posts = MakePosts(sourceTexts, postLength, 2000);
        var probabilities = new float[model.Categories.Count];
        for (var i = 0; i < 2000; i++)
        {
            model.Predict(posts[i % posts.Length], probabilities); // warm-up: JIT, pool
        }

        var sw = Stopwatch.StartNew();
        var n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1000; i++)
            {
                model.Predict(posts[n++ % posts.Length], probabilities);
            }
        }

        sw.Stop();
        var zip = new FileInfo(Path.Combine(model.Directory, model.Manifest.ModelFile)).Length;
        return new BenchmarkResult(n, sw.Elapsed.TotalSeconds, n / sw.Elapsed.TotalSeconds, zip, postLength);
    }

    /// <summary>Real texts glued end to end and cut into posts of exactly <paramref name="length"/> characters.</summary>
    public static string[] MakePosts(IReadOnlyList<string> texts, int length, int count)
    {
        var pool = texts.Count > 0 ? texts : ["这是一条用于测速的普通评论，没有任何违规内容，只是为了凑够一百个字符。"];
        var all = string.Join(" ", pool.Take(Math.Max(count * 2, 1)));
        while (all.Length < length * count)
        {
            all += " " + all;
        }

        return Enumerable.Range(0, count).Select(i => all.Substring(i * length, length)).ToArray();
    }
}
