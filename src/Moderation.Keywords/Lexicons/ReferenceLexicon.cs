using System.Text;

namespace Moderation.Keywords.Lexicons;

/// <summary>
/// Reads houbb/sensitive-word's <c>sensitive_word_tags.txt</c> format (<c>term tags</c>, tags
/// comma-separated: 1 drugs, 2 porn, 3 gambling, 4 illegal goods) for benchmarks and comparisons.
/// It is reference material, never shipped as the default lexicon.
/// </summary>
public static class ReferenceLexicon
{
    public static LexiconSet LoadSensitiveWordTags(string path)
    {
        var entries = new List<LexiconEntry>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNo++;
            var space = line.LastIndexOf(' ');
            var term = (space > 0 ? line[..space] : line).Trim();
            if (term.Length == 0 || Normalization.CharFolder.FoldString(term).Length == 0)
            {
                continue;
            }

            var tag = space > 0 ? line[(space + 1)..].Split(',')[0].Trim() : "";
            var (category, sub) = tag switch
            {
                "1" => (9, "drugs"),
                "2" => (7, "porn"),
                "3" => (7, "gambling"),
                _ => (9, "illegal-goods"),
            };
            entries.Add(new LexiconEntry(term, category, sub, 2, TermFlags.None, Path.GetFileName(path), lineNo));
        }

        return new LexiconSet(entries, [], [path], "ref-" + entries.Count);
    }
}
