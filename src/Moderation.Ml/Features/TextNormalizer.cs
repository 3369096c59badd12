namespace Moderation.Ml.Features;

/// <summary>
/// Cheap, allocation-free normalisation shared by training and serving: full-width ASCII to
/// half-width, lower case, whitespace runs to one space, digits to '0' (numbers carry little
/// signal and would spray the hash space).
/// </summary>
public static class TextNormalizer
{
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination, bool foldDigits = true)
    {
        var n = 0;
        var lastSpace = true;
        foreach (var raw in text)
        {
            if (n == destination.Length)
            {
                break;
            }

            var c = raw;
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                c = (char)(c - 0xFEE0);
            }
            else if (c == '\u3000')
            {
                c = ' ';
            }

            if (c is '\u200B' or '\u200C' or '\u200D' or '\uFEFF')
            {
                continue; // zero-width characters are a classic evasion: drop them
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastSpace)
                {
                    destination[n++] = ' ';
                }

                lastSpace = true;
                continue;
            }

            lastSpace = false;
            if (foldDigits && c is >= '0' and <= '9')
            {
                c = '0';
            }
            else if (c < 128)
            {
                c = char.ToLowerInvariant(c);
            }

            destination[n++] = c;
        }

        if (n > 0 && destination[n - 1] == ' ')
        {
            n--;
        }

        return n;
    }

    /// <summary>Key under which two rows count as the same text for deduplication (digits kept: "第1条" and "第2条" are different posts).</summary>
    public static string DedupKey(string text)
    {
        var buffer = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        var n = Normalize(text, buffer, foldDigits: false);
        return new string(buffer[..n]);
    }
}
