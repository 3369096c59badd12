using System.Diagnostics.Metrics;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Tests;

/// <summary>A lexicon file deleted or emptied under hot reload is refused unless the operator marks it intended.</summary>
public sealed class ReloadGuardTests
{
    private const string Drugs = "冰毒\t9\tdrugs\t3\n海洛因\t9\tdrugs\t3\n可卡因\t9\tdrugs\t3\n摇头丸\t9\tdrugs\t2\n";
    private const string Gambling = "赌博网站\t7\tgambling\t3\n六合彩\t7\tgambling\t2\n";

    private static KeywordEngineProvider Start(TempLexiconDir dir)
    {
        var provider = new KeywordEngineProvider([dir.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        provider.WhenReady.GetAwaiter().GetResult();
        return provider;
    }

    [Fact]
    public void A_deleted_file_is_refused_and_the_old_lexicon_stays()
    {
        using var dir = new TempLexiconDir();
        dir.Write("drugs.tsv", Drugs);
        var gambling = dir.Write("gambling.tsv", Gambling);
        using var provider = Start(dir);
        var version = provider.Current.Version;

        File.Delete(gambling);

        Assert.False(provider.TryReload());
        Assert.Equal(version, provider.Current.Version);
        Assert.Single(provider.Current.FindHits("上赌博网站"));
        var error = provider.LastError!.Errors[0];
        Assert.Equal(gambling, error.File);
        Assert.Contains("the file is gone (2 entries would be dropped)", error.Message, StringComparison.Ordinal);
        Assert.Contains(KeywordEngineProvider.ShrinkMarker, error.Message, StringComparison.Ordinal);
        Assert.Contains(provider.LastError.Errors, e => e.Message.StartsWith("category 7 would go from 2 terms to 0", StringComparison.Ordinal));
    }

    [Fact]
    public void An_emptied_file_is_refused()
    {
        using var dir = new TempLexiconDir();
        dir.Write("drugs.tsv", Drugs);
        using var provider = Start(dir);

        dir.Write("drugs.tsv", "# emptied by mistake\n");

        Assert.False(provider.TryReload());
        Assert.Contains(provider.LastError!.Errors, e => e.Message.StartsWith("4 entries would become 0", StringComparison.Ordinal));
        Assert.Contains(provider.LastError!.Errors, e => e.Message.StartsWith("category 9 would go from 4 terms to 0", StringComparison.Ordinal));
        Assert.Single(provider.Current.FindHits("买冰毒"));
    }

    [Fact]
    public void Removing_most_terms_of_a_category_is_refused_but_removing_a_few_is_not()
    {
        using var dir = new TempLexiconDir();
        dir.Write("drugs.tsv", Drugs);
        using var provider = Start(dir);

        dir.Write("drugs.tsv", "冰毒\t9\tdrugs\t3\n");
        Assert.False(provider.TryReload());

        dir.Write("drugs.tsv", "冰毒\t9\tdrugs\t3\n海洛因\t9\tdrugs\t3\n可卡因\t9\tdrugs\t3\n");
        Assert.True(provider.TryReload());
        Assert.Null(provider.LastError);
        Assert.Empty(provider.Current.FindHits("摇头丸"));
    }

    [Fact]
    public void The_marker_file_lets_an_intended_removal_through()
    {
        using var dir = new TempLexiconDir();
        dir.Write("drugs.tsv", Drugs);
        var gambling = dir.Write("gambling.tsv", Gambling);
        using var provider = Start(dir);

        File.Delete(gambling);
        dir.Write(KeywordEngineProvider.ShrinkMarker, "");

        Assert.True(provider.TryReload());
        Assert.Empty(provider.Current.FindHits("上赌博网站"));
    }

    [Fact]
    public void Term_counts_per_category_are_a_metric()
    {
        using var dir = new TempLexiconDir();
        dir.Write("drugs.tsv", Drugs);
        dir.Write("gambling.tsv", Gambling);
        using var provider = Start(dir);
        var seen = new Dictionary<int, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KeywordEngineProvider.MeterName && instrument.Name == "moderation.lexicon.terms")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "category" && instrument.Meter.Name == KeywordEngineProvider.MeterName)
                    lock (seen)
                        seen[(int)tag.Value!] = value;
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(4, seen[9]);
        Assert.Equal(2, seen[7]);
        Assert.Equal(0, seen[1]);
    }

    [Fact]
    public async Task Readiness_is_observable_and_a_bad_first_lexicon_faults_it()
    {
        using var good = new TempLexiconDir();
        good.Write("drugs.tsv", Drugs);
        using var provider = new KeywordEngineProvider([good.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        await provider.WhenReady.WaitAsync(TimeSpan.FromSeconds(60)); // bound only so a hang fails
        Assert.True(provider.IsReady);

        using var bad = new TempLexiconDir();
        bad.Write("drugs.tsv", "冰毒\t99\tdrugs\t3\n");
        using var broken = new KeywordEngineProvider([bad.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        var ex = await Assert.ThrowsAsync<LexiconLoadException>(() => broken.WhenReady.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("drugs.tsv:1", ex.Message, StringComparison.Ordinal);
        Assert.False(broken.IsReady);
        Assert.Throws<LexiconLoadException>(() => broken.Current);
    }
}
