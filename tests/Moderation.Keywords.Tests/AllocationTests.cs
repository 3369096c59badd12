namespace Moderation.Keywords.Tests;

public sealed class AllocationTests
{
    [Fact]
    public void Scanning_allocates_nothing_beyond_the_result_list()
    {
        var engine = TestLexicon.Engine;
        var text = string.Concat(Enumerable.Repeat("今天天气很好，买冰\u200B毒、f u c k 和 ⑥合彩 b1tch。", 200));
        var results = new List<Engine.RawMatch>(4096);
        engine.ScanRaw(text, results); // warm-up: JIT, static tables

        results.Clear();
        var before = GC.GetAllocatedBytesForCurrentThread();
        engine.ScanRaw(text, results);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(results.Count >= 800);
        Assert.Equal(0, allocated);
    }
}
