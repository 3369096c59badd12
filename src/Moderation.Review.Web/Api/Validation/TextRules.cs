namespace Moderation.Review.Api.Validation;

/// <summary>
/// What text the API accepts, in every field: no C0 or C1 control characters (NUL included: PostgreSQL refuses
/// it, and a name with one could read differently in a log than on screen), no unpaired UTF-16 surrogates (not
/// encodable as UTF-8), and no bidirectional embedding, override or isolate controls (U+202A–U+202E,
/// U+2066–U+2069), which make a note or reason display in a different order than it reads ("Trojan Source").
/// Multi-line fields (<see cref="MultilineAttribute"/>: decision reasons, notes) also allow line feed, carriage
/// return and tab.
/// </summary>
public static class TextRules
{
    /// <summary>Null when <paramref name="value"/> is acceptable, else the reason (naming the first bad character and where it is).</summary>
    public static string? Check(string value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
                return $"holds an unpaired UTF-16 surrogate at position {i}.";
            }
            if (char.IsLowSurrogate(c))
                return $"holds an unpaired UTF-16 surrogate at position {i}.";
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
                return $"holds the control character U+{(int)c:X4} at position {i}" + (multiline ? " (only line breaks and tabs are allowed)." : " (it is a one-line field).");
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
                return $"holds the bidirectional control U+{(int)c:X4} at position {i}.";
        }
        return null;
    }
}

/// <summary>A string field that may hold several lines (line feed, carriage return and tab are allowed in it).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MultilineAttribute : Attribute;
