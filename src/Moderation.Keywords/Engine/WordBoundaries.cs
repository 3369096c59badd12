using JiebaNet.Segmenter;
using Moderation.Keywords.Normalization;

namespace Moderation.Keywords.Engine;

/// <summary>
/// Whether a two-character Chinese hit straddles a word boundary in the text's own segmentation
/// (门口|交通 holds 口交, 港口|交易所 too), by jieba.NET (MIT, a port of the widely used jieba segmenter,
/// dictionary of 349,046 words). Asked only about candidate hits of two-character Han terms whose
/// characters are adjacent in the text, so the scan itself stays as fast as before; separators inserted
/// between the characters (口 交, 口.交) are evasion and never reach here.
/// <para>
/// jieba.NET reads its dictionary and HMM tables from files (a process-wide directory setting), so
/// the build copies them to <c>&lt;app base&gt;/jieba</c>; they are loaded once, on first use or by
/// <see cref="WarmUp"/>, and each thread keeps its own segmenter.
/// </para>
/// </summary>
public static class WordBoundaries
{
    /// <summary>Characters of context on each side of the hit given to the segmenter.</summary>
    private const int Context = 6;

    /// <summary>Where the build puts jieba.NET's dictionary files.</summary>
    public static string ResourceDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "jieba");

    private static readonly Lazy<bool> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    [ThreadStatic]
    private static JiebaSegmenter? t_segmenter;

    /// <summary>Loads the dictionary now (about 2 s and 36 MB) instead of on the first candidate hit.</summary>
    public static void WarmUp() => _ = Loaded.Value;

    /// <summary>
    /// True when the segmentation of the Han run around <paramref name="start"/> puts a boundary between
    /// text[start] and text[start + 1] and each side belongs to a word of two or more characters: the
    /// two characters are read as parts of two other words. A character the segmenter leaves alone
    /// (傻|逼 — not in its dictionary) does not count, so unknown slang keeps its hits.
    /// </summary>
    public static bool Straddles(string text, int start) => Window(text, start) is { } w && Splits(w.Text, w.Boundary);

    /// <summary>The run of Han characters around the pair (at most <see cref="Context"/> on each side), folded, and where the pair's middle is in it.</summary>
    internal static (string Text, int Boundary)? Window(string text, int start)
    {
        var from = start;
        while (from > 0 && start - from < Context && IsHan(text[from - 1]))
        {
            from--;
        }

        var to = start + 2;
        while (to < text.Length && to - start - 2 < Context && IsHan(text[to]))
        {
            to++;
        }

        if (from == start && to == start + 2)
        {
            return null; // nothing around the pair: it is a word on its own
        }

        var window = string.Create(to - from, (text, from), static (span, state) =>
        {
            for (var k = 0; k < span.Length; k++)
            {
                var c = state.text[state.from + k];
                var f = CharFolder.Fold(c);
                span[k] = f is CharFolder.Skip or CharFolder.Expand ? c : f; // Traditional → Simplified, as the lexicon sees it
            }
        });
        return (window, start + 1 - from);
    }

    /// <summary>Whether the segmentation of <paramref name="window"/> splits it at <paramref name="boundary"/> between two words of two or more characters.</summary>
    internal static bool Splits(string window, int boundary)
    {
        _ = Loaded.Value;
        var segmenter = t_segmenter ??= new JiebaSegmenter();
        var offset = 0;
        var previousLength = 0;
        foreach (var token in segmenter.Cut(window, cutAll: false, hmm: false))
        {
            if (offset == boundary)
            {
                return previousLength >= 2 && token.Length >= 2;
            }

            if (offset > boundary)
            {
                return false; // one token spans both characters
            }

            offset += token.Length;
            previousLength = token.Length;
        }

        return false;
    }

    /// <summary>True for the CJK ideographs the boundary check applies to.</summary>
    public static bool IsHan(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static bool Load()
    {
        if (!File.Exists(Path.Combine(ResourceDirectory, "dict.txt")))
        {
            throw new FileNotFoundException(
                $"jieba.NET's dictionary is not at {ResourceDirectory}; the Moderation.Keywords build copies it there (see its .csproj).",
                Path.Combine(ResourceDirectory, "dict.txt"));
        }

        ConfigManager.ConfigFileBaseDir = ResourceDirectory;
        _ = new JiebaSegmenter().Cut("预热", cutAll: false, hmm: false).Count();
        return true;
    }
}
