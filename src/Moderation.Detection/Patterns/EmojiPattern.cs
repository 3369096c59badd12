using System.Globalization;
using System.Text;

namespace Moderation.Detection.Patterns;

/// <summary>
/// A lure written as emoji (🔞, 🎰, 💊). The detector's folded reading keeps letters and digits only, so
/// emoji are matched on the post's own text instead, without variation selectors (🔞 and 🔞️ are one sign).
/// </summary>
internal static class EmojiPattern
{
    /// <summary>Every character is a symbol (no letter, digit or space) and at least one is an emoji or other symbol.</summary>
    public static bool Is(string pattern)
    {
        var symbol = false;
        foreach (var rune in pattern.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || Rune.IsWhiteSpace(rune) || rune.Value is '{' or '}')
                return false;
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol)
                symbol = true;
        }

        return symbol;
    }

    /// <summary>The pattern as searched: variation selectors and zero-width joiners removed.</summary>
    public static string Key(string pattern)
    {
        var sb = new StringBuilder(pattern.Length);
        foreach (var rune in pattern.EnumerateRunes())
        {
            if (rune.Value is not (>= 0xFE00 and <= 0xFE0F) and not 0x200D)
                sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    /// <summary>Original-text spans of every occurrence of <paramref name="key"/> (variation selectors after it included).</summary>
    public static IEnumerable<(int Start, int End)> Find(string text, string key)
    {
        for (var i = text.IndexOf(key, StringComparison.Ordinal); i >= 0; i = text.IndexOf(key, i + key.Length, StringComparison.Ordinal))
        {
            var end = i + key.Length;
            while (end < text.Length && text[end] is >= '\uFE00' and <= '\uFE0F')
                end++;
            yield return (i, end);
        }
    }
}
