using Moderation.Ml.Data;
using Moderation.Ml.Features;

namespace Moderation.Ml.Tests.Data;

public sealed class DataTests
{
    [Fact]
    public void Tsv_quoted_fields_round_trip()
    {
        var path = Path.Combine(Fixtures.TempDirectory(), "rows.tsv");
        LabelledTsv.Write(path, [new LabelledRow("他说\"滚\"，真过分", 8, "train", "x", "a\"b"), new LabelledRow("plain", 0, "", "y")]);
        var rows = LabelledTsv.Read(path).ToList();
        Assert.Equal("他说\"滚\"，真过分", rows[0].Text);
        Assert.Equal("a\"b", rows[0].OrigLabel);
        Assert.Equal(8, rows[0].Category);
        Assert.Equal("", rows[1].Split);
    }

    [Fact]
    public void Duplicates_collapse_and_conflicting_duplicates_are_dropped()
    {
        var rows = new[]
        {
            new LabelledRow("同一句话", 8, "train", "a"),
            new LabelledRow("同一句话 ", 8, "", "b"),
            new LabelledRow("有争议的话", 8, "train", "a"),
            new LabelledRow("有争议的话", 0, "", "b"),
            new LabelledRow("留在外面", -1, "train", "a"),
        };
        var data = DatasetBuilder.Build(rows, 1);
        var all = data.Train.Concat(data.Dev).Concat(data.Test).ToList();
        var kept = Assert.Single(all);
        Assert.Equal("a", kept.Source); // the row with the official split wins
        Assert.Equal(1, data.DuplicatesDropped);
        Assert.Equal(1, data.ConflictingTextsDropped);
        Assert.Equal(1, data.KeptOut);
    }

    [Fact]
    public void Seeded_splits_are_stratified_and_reproducible()
    {
        var rows = Enumerable.Range(0, 100).Select(i => new LabelledRow($"clean {i}", 0, "", "s"))
            .Concat(Enumerable.Range(0, 50).Select(i => new LabelledRow($"bad {i}", 8, "", "s"))).ToList();
        var first = DatasetBuilder.Build(rows, 42);
        var second = DatasetBuilder.Build(rows, 42);
        Assert.Equal(first.Test.Select(r => r.Text), second.Test.Select(r => r.Text));
        Assert.Equal(10, first.Test.Count(r => r.Category == 0));
        Assert.Equal(5, first.Test.Count(r => r.Category == 8));
        Assert.Equal(5, first.Dev.Count(r => r.Category == 8));
        Assert.Equal(40, first.Train.Count(r => r.Category == 8));
    }

    [Fact]
    public void Normalizer_folds_width_case_digits_and_zero_width_characters()
    {
        Assert.Equal("abc 12 你好", TextNormalizer.DedupKey("ＡＢＣ  12 你\u200B好"));
        Span<char> buffer = stackalloc char[16];
        Assert.Equal("x00", new string(buffer[..TextNormalizer.Normalize("X12", buffer)]));
    }
}

public sealed class FeaturizerTests
{
    [Fact]
    public void Unsorted_featurizing_yields_the_same_features_as_sorted()
    {
        var featurizer = new TextFeaturizer(new FeaturizerSettings { HashBits = 10 });
        var text = string.Concat(Enumerable.Repeat("哈哈哈你好 hello world 你好", 20));
        var a = new FeatureScratch();
        var b = new FeatureScratch();
        var n = featurizer.Featurize(text, a);
        var m = featurizer.Featurize(text, b, sorted: false);
        Assert.Equal(n, m);
        var sorted = a.Indices[..n].Zip(a.Values[..n]).ToDictionary(p => p.First, p => p.Second);
        var unsorted = b.Indices[..m].Zip(b.Values[..m]).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(sorted.OrderBy(p => p.Key), unsorted.OrderBy(p => p.Key));
        Assert.Equal(1.0, sorted.Values.Sum(v => (double)v * v), 4);
    }
}
