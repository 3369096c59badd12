using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Tests;

public sealed class LexiconLoaderTests
{
    [Theory]
    [InlineData("冰毒\t10\tdrugs\t3", "category '10'")]
    [InlineData("冰毒\t9\tdrugs\t4", "severity '4'")]
    [InlineData("冰毒\t9\tDrugs!\t3", "sub-label 'Drugs!'")]
    [InlineData("冰毒\t9\tdrugs", "4 or 5 tab-separated columns")]
    [InlineData("冰毒\t9\tdrugs\t3\tbogus", "unknown flag 'bogus'")]
    [InlineData("***\t9\tdrugs\t3", "empty after normalisation")]
    public void Bad_line_is_reported_with_file_and_line(string badLine, string reason)
    {
        using var dir = new TempLexiconDir();
        dir.Write("ops.tsv", "# header\n海洛因\t9\tdrugs\t3\n" + badLine + "\n");

        var ex = Assert.Throws<LexiconLoadException>(() => LexiconLoader.Load([dir.Path]));

        var error = Assert.Single(ex.Errors);
        Assert.EndsWith("ops.tsv", error.File, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("ops.tsv:3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_directories_load_together_and_version_is_a_content_hash()
    {
        using var shipped = new TempLexiconDir();
        using var operatorDir = new TempLexiconDir();
        shipped.Write("a.tsv", "冰毒\t9\tdrugs\t3\n");
        operatorDir.Write("ops.tsv", "占位词甲\t1\t-\t3\n");
        operatorDir.Write("ops.allow.txt", "占位词甲乙丙\n");

        var first = LexiconLoader.Load([shipped.Path, operatorDir.Path]);
        var again = LexiconLoader.Load([shipped.Path, operatorDir.Path]);
        operatorDir.Write("ops.tsv", "占位词甲\t1\t-\t2\n");
        var changed = LexiconLoader.Load([shipped.Path, operatorDir.Path]);

        Assert.Equal(2, first.Entries.Count);
        Assert.Single(first.AllowPhrases);
        Assert.Equal(first.Version, again.Version);
        Assert.NotEqual(first.Version, changed.Version);
        Assert.StartsWith("lex-", first.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_directory_is_an_error()
    {
        var ex = Assert.Throws<LexiconLoadException>(() => LexiconLoader.Load(["/nonexistent/lexicon"]));

        Assert.Equal("/nonexistent/lexicon", Assert.Single(ex.Errors).File);
    }

    [Fact]
    public void Severity_words_and_flags_are_accepted()
    {
        using var dir = new TempLexiconDir();
        dir.Write("a.tsv", "冰毒\t9\t-\thigh\tpinyin, latin-word\n");

        var entry = Assert.Single(LexiconLoader.Load([dir.Path]).Entries);

        Assert.Equal((3, (string?)null, TermFlags.Pinyin | TermFlags.LatinWord), (entry.Severity, entry.SubLabel, entry.Flags));
    }
}
