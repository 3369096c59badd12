using Moderation.Banks;

namespace Moderation.Banks.Tests;

public sealed class AllocationTests
{
    [Fact]
    public void Matching_a_post_that_matches_nothing_allocates_nothing_once_warm()
    {
        var index = BankIndex.Build(Enumerable.Range(0, Texts.Pool.Length).Select(i => Texts.Entry(i)));
        const string clean = "今天天气不错，下午去公园走了走，晚饭吃的面条，味道一般，明天打算早点起床去跑步。";
        Assert.Empty(index.Match(clean)); // warm: the pooled working memory exists now

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            index.Match(clean);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
