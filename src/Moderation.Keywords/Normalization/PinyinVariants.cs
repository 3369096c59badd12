using System.Text;

namespace Moderation.Keywords.Normalization;

/// <summary>
/// Pinyin spellings of a folded Chinese term for terms that opt in with the <c>pinyin</c> flag:
/// the full toneless pinyin (falungong), for three or more Han characters the initials (flg), and
/// for terms of up to four characters every mix of pinyin and characters (fa轮功, 法lun功).
/// Shorter initials would be ordinary two-letter words, so they are not generated. Readings come
/// from ICU's Han-Latin transliterator (first reading only, see Data/generate-tables.sh).
/// </summary>
public static class PinyinVariants
{
    public static IReadOnlyList<string> For(string folded)
    {
        var full = new StringBuilder();
        var initials = new StringBuilder();
        var han = 0;
        foreach (var c in folded)
        {
            if (CharFolder.Pinyin(c) is { } py)
            {
                han++;
                full.Append(py);
                initials.Append(py[0]);
            }
            else if (CharFolder.IsLatinWordChar(c))
            {
                full.Append(c);
                initials.Append(c);
            }
            else
            {
                return []; // a character with no pinyin reading: no reliable spelling
            }
        }

        if (han == 0)
        {
            return [];
        }

        var variants = new List<string> { full.ToString() };
        if (han >= 3 && initials.Length >= 3)
        {
            variants.Add(initials.ToString());
        }

        if (han == folded.Length && han <= MaxMixedLength)
        {
            // Half pinyin, half characters (bing毒, 冰du): every mix for short terms.
            for (var mask = 1; mask < (1 << han) - 1; mask++)
            {
                var mixed = new StringBuilder();
                for (var k = 0; k < han; k++)
                {
                    mixed.Append((mask & (1 << k)) != 0 ? CharFolder.Pinyin(folded[k]) : folded[k].ToString());
                }

                variants.Add(mixed.ToString());
            }
        }

        return variants;
    }

    /// <summary>Terms up to this many characters also get every pinyin/character mix (2^n - 2 variants).</summary>
    public const int MaxMixedLength = 4;
}
