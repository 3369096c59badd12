using System.Diagnostics;

namespace Moderation.Operations.Tests.Infrastructure;

internal static class Wait
{
    /// <summary>Polls until the condition holds; returns how long it took, or fails the test after <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"{what}: not within {limit.TotalSeconds:F0} s");
            await Task.Delay(200);
        }
        return clock.Elapsed;
    }
}
