using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Moderation.Keywords.Normalization;

/// <summary>
/// The per-character normalisation every lexicon term and every scanned text goes through, as one
/// precomputed 64K-entry table so the scanner never builds a normalised string:
/// NFKC (full-width → half-width, circled/parenthesised digits, compatibility ideographs) →
/// lower case → Latin diacritics stripped → Cyrillic/Greek look-alikes → Latin →
/// Traditional → Simplified (ICU table, see Data/generate-tables.sh) → Chinese numerals → digits.
/// Characters that are not letters or digits afterwards (spaces, punctuation, symbols, zero-width
/// and other format characters, combining marks, emoji/surrogates) are "skip": they are ignored
/// between the characters of a term. Leetspeak is an <em>alternative</em> reading (4 → a), tried only
/// where the primary reading does not continue a term, so digits still match digit terms.
/// Immutable after the type initialiser, so sharing it across threads is safe.
/// </summary>
public static class CharFolder
{
    /// <summary>
    /// Bumped whenever folding or variant generation (<see cref="PinyinVariants"/>) changes what a
    /// lexicon matches: part of every lexicon version, so a decision names the rules it ran under.
    /// </summary>
    public const string Version = "fold-2";

    /// <summary>Marker in <see cref="Map"/> for a character that is ignored between term characters.</summary>
    public const char Skip = '\0';

    /// <summary>Marker in <see cref="Map"/> for a character that folds to several characters.</summary>
    public const char Expand = '\uFFFF';

    private static readonly char[] Map;
    private static readonly FrozenDictionary<char, string> Expansions;
    private static readonly FrozenDictionary<char, string> Alternatives;
    private static readonly FrozenDictionary<char, string> PinyinByHan;

    // Look-alikes that NFKC leaves alone. Lower-case only: case folding runs first.
    private const string HomoglyphFrom = "асеіјкмнорѕтувхуґԁɑαβεικνορτυχγѵһӏ";
    private const string HomoglyphTo = "aceijkmhopstybxyrdaabeikvoptuxyvhl";

    private const string ChineseNumeralFrom = "〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖貳參陸";
    private const string ChineseNumeralTo = "00123456789" + "123456789" + "236";

    static CharFolder()
    {
        var t2s = LoadPairs("Moderation.Keywords.t2s.tsv").ToDictionary(p => p.Key[0], p => p.Value[0]);
        PinyinByHan = LoadPairs("Moderation.Keywords.pinyin.tsv")
            .Select(p => KeyValuePair.Create(t2s.TryGetValue(p.Key[0], out var s) ? s : p.Key[0], p.Value))
            .GroupBy(p => p.Key)
            .ToFrozenDictionary(g => g.Key, g => g.First().Value);

        var map = new char[65536];
        var expansions = new Dictionary<char, string>();
        var alternatives = new Dictionary<char, string>();
        var sb = new StringBuilder(8);
        for (var i = 0; i < 65536; i++)
        {
            var c = (char)i;
            if (char.IsSurrogate(c))
            {
                map[i] = Skip; // emoji and other astral symbols: only ever separators here
                continue;
            }

            string nfkc;
            try
            {
                nfkc = c.ToString().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                map[i] = Skip;
                continue;
            }

            if (nfkc.Length == 1 && Leet(nfkc[0]) is { } alt)
            {
                alternatives[c] = alt;
            }

            sb.Clear();
            foreach (var raw in nfkc)
            {
                var f = FoldOne(raw, t2s);
                if (f != Skip)
                {
                    sb.Append(f);
                }
            }

            switch (sb.Length)
            {
                case 0:
                    map[i] = Skip;
                    break;
                case 1:
                    map[i] = sb[0];
                    break;
                default:
                    map[i] = Expand;
                    expansions[c] = sb.ToString();
                    break;
            }
        }

        map[Expand] = Skip;
        Map = map;
        Expansions = expansions.ToFrozenDictionary();
        Alternatives = alternatives.ToFrozenDictionary();
    }

    /// <summary>The folded form of <paramref name="c"/>: a character, <see cref="Skip"/> or <see cref="Expand"/>.</summary>
    public static char Fold(char c) => Map[c];

    /// <summary>The characters an <see cref="Expand"/> character folds to (e.g. ⑩ → "10").</summary>
    public static string Expansion(char c) => Expansions.TryGetValue(c, out var s) ? s : string.Empty;

    /// <summary>Leetspeak readings of a character, most likely first (e.g. '1' → "il", '@' → "a").</summary>
    public static string Alternative(char c) => Alternatives.TryGetValue(c, out var s) ? s : string.Empty;

    /// <summary>Toneless pinyin of a (simplified) Han character, or null.</summary>
    public static string? Pinyin(char han) => PinyinByHan.TryGetValue(han, out var s) ? s : null;

    /// <summary>True for a folded character that counts as part of a Latin word (for whole-word terms).</summary>
    public static bool IsLatinWordChar(char folded) => folded is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    /// <summary>Folds a whole string: skip characters dropped, expansions spliced in, repeats kept.</summary>
    public static string FoldString(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var f = Map[c];
            if (f == Expand)
            {
                sb.Append(Expansions[c]);
            }
            else if (f != Skip)
            {
                sb.Append(f);
            }
        }

        return sb.ToString();
    }

    private static char FoldOne(char c, Dictionary<char, char> t2s)
    {
        var category = char.GetUnicodeCategory(c);
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                break;
            default:
                return Skip; // separators, punctuation, symbols, marks, format (zero-width), control
        }

        c = char.ToLowerInvariant(c);
        if (c is >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF')
        {
            // Latin with diacritics: keep the base letter (fück → fuck).
            var d = c.ToString().Normalize(NormalizationForm.FormD);
            if (d.Length > 0 && d[0] < 128)
            {
                c = d[0];
            }
        }

        var h = HomoglyphFrom.IndexOf(c);
        if (h >= 0)
        {
            return HomoglyphTo[h];
        }

        if (t2s.TryGetValue(c, out var simplified))
        {
            c = simplified;
        }

        var n = ChineseNumeralFrom.IndexOf(c);
        if (n >= 0)
        {
            return ChineseNumeralTo[n];
        }

        if (category == UnicodeCategory.OtherNumber && char.GetNumericValue(c) is >= 0 and <= 9 and var v)
        {
            return (char)('0' + (int)v);
        }

        return c;
    }

    private static string? Leet(char c) => c switch
    {
        '0' => "o",
        '1' => "il",
        '3' => "e",
        '4' => "a",
        '5' => "s",
        '7' => "t",
        '8' => "b",
        '9' => "g",
        '@' => "a",
        '$' => "s",
        '!' => "i",
        '|' => "l",
        '+' => "t",
        '€' => "e",
        _ => null,
    };

    private static IEnumerable<KeyValuePair<string, string>> LoadPairs(string resource)
    {
        using var stream = typeof(CharFolder).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in Moderation.Keywords.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var pairs = new List<KeyValuePair<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            if (tab == 1 && line.Length > 2)
            {
                pairs.Add(KeyValuePair.Create(line[..1], line[2..]));
            }
        }

        return pairs;
    }
}
