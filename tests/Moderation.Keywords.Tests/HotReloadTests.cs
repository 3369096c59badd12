using Moderation.Keywords.Hosting;

namespace Moderation.Keywords.Tests;

public sealed class HotReloadTests
{
    [Fact]
    public void Changed_lexicon_takes_effect_on_reload()
    {
        using var dir = new TempLexiconDir();
        dir.Write("a.tsv", "冰毒\t9\tdrugs\t3\n");
        using var provider = new KeywordEngineProvider([dir.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        var before = provider.Current;

        dir.Write("a.tsv", "冰毒\t9\tdrugs\t3\n海洛因\t9\tdrugs\t3\n");
        Assert.True(provider.TryReload());

        Assert.NotEqual(before.Version, provider.Current.Version);
        Assert.Single(provider.Current.FindHits("海洛因"));
        Assert.Empty(before.FindHits("海洛因")); // an in-flight scan keeps the engine it started with
    }

    [Fact]
    public void Bad_line_keeps_the_previous_lexicon_and_names_file_and_line()
    {
        using var dir = new TempLexiconDir();
        dir.Write("a.tsv", "冰毒\t9\tdrugs\t3\n");
        using var provider = new KeywordEngineProvider([dir.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        var version = provider.Current.Version;

        dir.Write("a.tsv", "海洛因\t9\tdrugs\t3\n可卡因\t99\tdrugs\t3\n");

        Assert.False(provider.TryReload());
        Assert.Equal(version, provider.Current.Version);
        Assert.Single(provider.Current.FindHits("冰毒"));
        var error = Assert.Single(provider.LastError!.Errors);
        Assert.Equal((Path.Combine(dir.Path, "a.tsv"), 2), (error.File, error.Line));

        dir.Write("a.tsv", "海洛因\t9\tdrugs\t3\n");
        Assert.True(provider.TryReload());
        Assert.Null(provider.LastError);
    }

    [Fact]
    public async Task Watcher_reloads_after_a_file_changes()
    {
        using var dir = new TempLexiconDir();
        dir.Write("a.tsv", "冰毒\t9\tdrugs\t3\n");
        using var provider = new KeywordEngineProvider([dir.Path], watch: true, TimeSpan.FromMilliseconds(50), TimeProvider.System);
        await provider.WhenReady; // the first load runs in the background; change the files after it
        var reloaded = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += (_, engine) => reloaded.TrySetResult(engine.Version);

        dir.Write("b.tsv", "占位词乙\t2\t-\t3\n");

        // Generous bound only so a broken watcher fails instead of hanging; not a timing assertion.
        var version = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(version, provider.Current.Version);
        Assert.Equal(2, Assert.Single(provider.Current.FindHits("占位词乙")).Category);
    }
}
