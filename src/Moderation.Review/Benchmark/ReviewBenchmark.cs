namespace Moderation.Review.Benchmark;

public static class ReviewBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length);
}
