using Moderation.Keywords.Engine;
using Moderation.Keywords.Lexicons;

namespace Moderation.Keywords.Tests;

/// <summary>A temporary lexicon directory, deleted on dispose.</summary>
internal sealed class TempLexiconDir : IDisposable
{
    public TempLexiconDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kw-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class TestLexicon
{
    /// <summary>Terms for the evasion and false-positive suites. Categories 1-3 and 5 use neutral placeholders.</summary>
    public const string Terms = """
        # term	category	sub-label	severity	flags
        冰毒	9	drugs	3	pinyin
        海洛因	9	drugs	3	pinyin
        k粉	9	drugs	3
        鸦片	9	drugs	1
        赌博网站	7	gambling	3
        六合彩	7	gambling	2
        一夜情	7	porn	1
        fuck	8	insult	2
        bitch	8	insult	2
        ass	8	insult	1
        kill yourself	7	violence	3
        占位词甲	1	-	3
        占位词乙	2	-	3
        占位词丙	3	-	2
        占位词丁	5	cult	2
        """;

    public const string Allow = """
        # allowed phrases
        鸦片战争
        """;

    private static readonly Lazy<KeywordEngine> Shared = new(() => Build(Terms, Allow));

    public static KeywordEngine Engine => Shared.Value;

    public static KeywordEngine Build(string terms, string allow = "", bool wordBoundaries = true)
    {
        using var dir = new TempLexiconDir();
        dir.Write("test.tsv", terms);
        dir.Write("test.allow.txt", allow);
        return KeywordEngine.Compile(LexiconLoader.Load([dir.Path]), wordBoundaries);
    }
}
