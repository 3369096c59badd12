namespace Moderation.Keywords.Lexicons;

/// <summary>Per-term options from the flags column.</summary>
[Flags]
public enum TermFlags
{
    None = 0,

    /// <summary>Match only as a whole Latin word: the characters next to the hit are not a-z/0-9.
    /// Implied for terms made only of Latin letters and digits unless <see cref="Substring"/> is set.</summary>
    LatinWord = 1,

    /// <summary>Also match the term's pinyin and (for 3+ characters) its pinyin initials.</summary>
    Pinyin = 2,

    /// <summary>Opt a Latin term out of the implied whole-word rule.</summary>
    Substring = 4,
}

/// <summary>One line of a lexicon file, already validated.</summary>
public sealed record LexiconEntry(
    string Term,
    int Category,
    string? SubLabel,
    int Severity,
    TermFlags Flags,
    string SourceFile,
    int Line);

/// <summary>Where a lexicon problem is, so the operator can fix that exact line.</summary>
public sealed record LexiconError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>A lexicon set that could not be loaded; the previously loaded set stays in force.</summary>
public sealed class LexiconLoadException : Exception
{
    public LexiconLoadException(IReadOnlyList<LexiconError> errors)
        : base("Lexicon not loaded: " + string.Join("; ", errors.Take(10)) + (errors.Count > 10 ? $" (+{errors.Count - 10} more)" : ""))
    {
        Errors = errors;
    }

    public LexiconLoadException()
        : this([])
    {
    }

    public LexiconLoadException(string message)
        : base(message)
    {
        Errors = [];
    }

    public LexiconLoadException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = [];
    }

    public IReadOnlyList<LexiconError> Errors { get; }
}
