using System.Globalization;
using Moderation.Keywords.Normalization;

namespace Moderation.Detection.Text;

/// <summary>
/// A post as the detector reads it. Letters and digits go through the keyword engine's
/// <see cref="CharFolder"/> (full-width → ASCII, circled and Chinese numerals → digits, Traditional →
/// Simplified, lower case), so the detector and the lexicon always agree on what a character is.
/// CharFolder drops everything else; the detector still needs to tell a dot from a space from a plus
/// (a phone number written 138-1234-5678, a domain written ky88。cc, "➕V"), so each separator keeps a
/// one-character class in <see cref="View"/>. Invisible characters (zero-width, combining marks,
/// variation selectors) are dropped entirely, so they can neither split nor join anything.
/// <see cref="Compact"/> is the letters-and-digits-only reading the pattern lists match on, as the
/// keyword engine does (separators between a pattern's characters are skipped).
/// </summary>
internal sealed class TextView
{
    /// <summary>Class characters in <see cref="View"/> for separators.</summary>
    public const char Space = ' ', Dot = '.', Dash = '-', Colon = ':', At = '@', Slash = '/', Plus = '+', Underscore = '_', Other = '~', Break = '|';

    /// <summary>
    /// In <see cref="Compact"/>, a sentence break (，！？；、 or a line break): no pattern matches across
    /// one, so 满足，你 is not 满足你. Spaces, dots and symbols, the usual evasions, are still skipped.
    /// </summary>
    public const char CompactBreak = '\u0001';

    /// <summary>Channel emoji (📞 ☎ → phone, 🐧 → QQ, ✈ → Telegram, 💚 🛰 → WeChat) as private-use class characters.</summary>
    public const char PhoneMark = '\uE000', QqMark = '\uE001', TelegramMark = '\uE002', WeChatMark = '\uE003';

    private const char Drop = '\0';
    private static readonly char[] SeparatorClass = BuildSeparatorClasses();

    private TextView(string text, string view, int[] start, int[] end, string compact, int[] compactToView)
    {
        Text = text;
        View = view;
        Start = start;
        End = end;
        Compact = compact;
        CompactToView = compactToView;
    }

    public string Text { get; }

    /// <summary>Folded letters and digits, separator classes, channel marks.</summary>
    public string View { get; }

    /// <summary>Original UTF-16 start offset of each view character.</summary>
    public int[] Start { get; }

    /// <summary>Original UTF-16 end offset (exclusive) of each view character.</summary>
    public int[] End { get; }

    /// <summary>The view's letters and digits only.</summary>
    public string Compact { get; }

    /// <summary>View index of each compact character.</summary>
    public int[] CompactToView { get; }

    public static TextView Read(string text)
    {
        // One pass with arrays sized for the common case (one view character per text character);
        // an expansion (⑩ → "10") grows them.
        var view = new char[text.Length + 4];
        var start = new int[view.Length];
        var end = new int[view.Length];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var mark = AstralClass(char.ConvertToUtf32(c, text[i + 1]));
                if (mark != Drop)
                {
                    Add(mark, i, i + 2);
                }

                i++;
                continue;
            }

            var f = CharFolder.Fold(c);
            if (f == CharFolder.Expand)
            {
                foreach (var x in CharFolder.Expansion(c))
                {
                    Add(x, i, i + 1);
                }
            }
            else if (f != CharFolder.Skip)
            {
                Add(f, i, i + 1);
            }
            else if (SeparatorClass[c] is var s && s != Drop)
            {
                Add(s, i, i + 1);
            }
        }

        var compact = new char[n];
        var map = new int[n];
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            if (!IsSeparator(view[i]))
            {
                compact[m] = view[i];
                map[m++] = i;
            }
            else if (view[i] == Break && m > 0 && compact[m - 1] != CompactBreak)
            {
                compact[m] = CompactBreak;
                map[m++] = i;
            }
        }

        return new TextView(text, new string(view, 0, n), start, end, new string(compact, 0, m), map);

        void Add(char ch, int from, int to)
        {
            if (n == view.Length)
            {
                Array.Resize(ref view, view.Length * 2);
                Array.Resize(ref start, view.Length);
                Array.Resize(ref end, view.Length);
            }

            view[n] = ch;
            start[n] = from;
            end[n] = to;
            n++;
        }
    }

    /// <summary>True for a separator class or channel mark (anything that is not a folded letter or digit).</summary>
    public static bool IsSeparator(char v) => v is Space or Dot or Dash or Colon or At or Slash or Plus or Underscore or Other or Break
        || v is >= PhoneMark and <= WeChatMark;

    public static bool IsLatin(char v) => v is >= 'a' and <= 'z';

    public static bool IsDigit(char v) => v is >= '0' and <= '9';

    /// <summary>Original span [start, end) of view characters [from, to).</summary>
    public (int Start, int End) Span(int from, int to) => (Start[from], End[to - 1]);

    /// <summary>Original span of compact characters [from, to).</summary>
    public (int Start, int End) CompactSpan(int from, int to) => (Start[CompactToView[from]], End[CompactToView[to - 1]]);

    private static char AstralClass(int codePoint) => codePoint switch
    {
        0x1F4DE or 0x1F4F1 or 0x1F4F2 => PhoneMark,       // 📞 📱 📲
        0x1F427 => QqMark,                                  // 🐧
        0x1F6E9 or 0x1F6EB or 0x1F680 => TelegramMark,     // 🛩 🛫 🚀
        0x1F49A or 0x1F6F0 => WeChatMark,                  // 💚 🛰
        >= 0xE0000 and <= 0xE007F => Drop,                  // tag characters: invisible
        _ => Other,
    };

    private static char[] BuildSeparatorClasses()
    {
        var table = new char[65536];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)i;
            table[i] = c switch
            {
                '.' or '。' or '．' or '｡' or '·' or '•' or '∙' or '・' or '⋅' or '‧' or '﹒' or '︒' or '●' or '○' => Dot,
                '-' or '‐' or '‑' or '‒' or '–' or '—' or '―' or '－' or '﹣' or '−' or '~' or '～' or '〜' => Dash,
                ':' or '：' or '∶' or '﹕' => Colon,
                '@' or '＠' or '﹫' => At,
                '/' or '／' or '\\' or '＼' => Slash,
                '+' or '＋' or '﹢' or '➕' or '✚' or '✙' or '✛' or '✜' => Plus,
                '_' or '＿' => Underscore,
                '，' or ',' or '！' or '!' or '？' or '?' or '；' or ';' or '、' or '…' or '\n' or '\r' or '\u2028' or '\u2029' => Break,
                '☎' or '☏' or '✆' => PhoneMark,
                '✈' => TelegramMark,
                _ when char.IsSurrogate(c) => Other,
                _ when char.IsWhiteSpace(c) => Space,
                _ => char.GetUnicodeCategory(c) switch
                {
                    UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                        or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Control => Drop,
                    _ => Other,
                },
            };
        }

        return table;
    }
}
