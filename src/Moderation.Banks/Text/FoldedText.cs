using Moderation.Keywords.Normalization;

namespace Moderation.Banks.Text;

/// <summary>
/// A text folded with the keyword engine's <see cref="CharFolder"/> (full-width, case, traditional →
/// simplified, homoglyphs, Chinese numerals), with separators, punctuation, zero-width characters and
/// emoji dropped, and every run of digits collapsed to one <c>#</c> (so a new phone number, price or date
/// does not break a match). Each folded character keeps the UTF-16 range of the original text it came
/// from. A reusable buffer: one per thread at a time.
/// </summary>
internal sealed class FoldedText
{
    /// <summary>Stands for a run of digits; never produced by the folder itself (it folds '#' to skip).</summary>
    public const char DigitRun = '#';

    private char[] _chars = new char[256];
    private int[] _starts = new int[256];
    private int[] _ends = new int[256];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Chars => _chars.AsSpan(0, Length);

    /// <summary>Original offset of folded character <paramref name="i"/>.</summary>
    public int StartOf(int i) => _starts[i];

    /// <summary>Original end offset (exclusive) of folded character <paramref name="i"/>.</summary>
    public int EndOf(int i) => _ends[i];

    public void Fold(ReadOnlySpan<char> text)
    {
        Length = 0;
        var digits = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var f = CharFolder.Fold(c);
            if (f == CharFolder.Skip)
            {
                continue; // a run of digits continues across separators: "138 1234 5678" is one number
            }

            if (f == CharFolder.Expand)
            {
                foreach (var e in CharFolder.Expansion(c))
                {
                    Emit(e, i, ref digits);
                }

                continue;
            }

            Emit(f, i, ref digits);
        }
    }

    private void Emit(char f, int at, ref bool digits)
    {
        if (f is >= '0' and <= '9')
        {
            if (digits)
            {
                _ends[Length - 1] = at + 1;
                return;
            }

            digits = true;
            f = DigitRun;
        }
        else
        {
            digits = false;
        }

        if (Length == _chars.Length)
        {
            Array.Resize(ref _chars, Length * 2);
            Array.Resize(ref _starts, Length * 2);
            Array.Resize(ref _ends, Length * 2);
        }

        _chars[Length] = f;
        _starts[Length] = at;
        _ends[Length] = at + 1;
        Length++;
    }
}
