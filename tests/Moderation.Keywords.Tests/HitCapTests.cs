using Moderation.Keywords.Hosting;

namespace Moderation.Keywords.Tests;

/// <summary>A post that repeats a term tens of thousands of times makes a small result, and says how much it left out.</summary>
public sealed class HitCapTests
{
    private static readonly Engine.KeywordEngine Engine = TestLexicon.Build("傻逼\t8\tinsult\t2\n冰毒\t9\tdrugs\t3\n鸦片\t9\tdrugs\t1\n", "鸦片战争\n");

    [Fact]
    public void Keeps_the_first_hits_per_term_and_counts_the_rest()
    {
        var text = string.Concat(Enumerable.Repeat("傻逼", 5000)) + "买冰毒" + string.Concat(Enumerable.Repeat("冰毒，", 30));

        var (hits, omitted) = Engine.Find(text, maxHitsPerTerm: 20);

        Assert.Equal(20, hits.Count(h => h.Term == "傻逼"));
        Assert.Equal(20, hits.Count(h => h.Term == "冰毒"));
        Assert.Equal((5000 - 20) + (31 - 20), omitted);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), hits.Where(h => h.Term == "傻逼").Select(h => h.Start)); // the first ones
    }

    [Fact]
    public void Masked_text_hides_omitted_hits_too()
    {
        var text = string.Concat(Enumerable.Repeat("傻逼 ", 50));

        var result = Engine.Scan(text, maxHitsPerTerm: 3);

        Assert.Equal(3, result.Hits.Count);
        Assert.Equal(47, result.HitsOmitted);
        Assert.DoesNotContain('傻', result.MaskedText);
    }

    [Fact]
    public void Allow_phrases_among_a_flood_of_hits_still_filter_exactly()
    {
        // Hits inside an allowed phrase are dropped wherever they are; hits next to it are not.
        var text = string.Concat(Enumerable.Repeat("傻逼鸦片战争吸鸦片", 2000));

        var hits = Engine.FindHits(text);

        Assert.Equal(2000, hits.Count(h => h.Term == "傻逼"));
        var opium = hits.Where(h => h.Term == "鸦片").ToList();
        Assert.Equal(2000, opium.Count);
        Assert.All(opium, h => Assert.Equal("吸鸦片", text[(h.Start - 1)..h.End]));
    }

    [Fact]
    public void Nested_and_overlapping_allow_phrases()
    {
        var engine = TestLexicon.Build("鸦片\t9\tdrugs\t1\n战争\t7\tviolence\t1\n", "鸦片战争\n片战\n争史\n");

        // 鸦片 inside 鸦片战争 (dropped); 战争 inside 鸦片战争 (dropped); the second 战争 overlaps 争史 but is not inside it.
        var hits = engine.FindHits("鸦片战争史，战争史");

        var hit = Assert.Single(hits);
        Assert.Equal(("战争", 6, 8), (hit.Term, hit.Start, hit.End));
    }

    [Fact]
    public void Classifier_lists_the_capped_hits_and_reports_the_count()
    {
        using var dir = new TempLexiconDir();
        dir.Write("a.tsv", "冰毒\t9\tdrugs\t3\n");
        using var provider = new KeywordEngineProvider([dir.Path], watch: false, TimeSpan.Zero, TimeProvider.System);
        var classifier = new KeywordClassifier(provider, maxHitsPerTerm: 5);

        var result = classifier.Classify(string.Concat(Enumerable.Repeat("冰毒。", 1000)));

        Assert.Equal(5, result.Hits.Count);
        Assert.Equal(995, result.HitsOmitted);
    }
}
