namespace Moderation.Detection.Patterns;

/// <summary>What a pattern-file line is for (its second column).</summary>
public enum PatternRole
{
    /// <summary>A lure of a clause-1.3 category (column 2 is the code 1-9).</summary>
    Lure,

    /// <summary>A contact channel word (微信, 扣扣, 飞机 …) that an id may follow, or an invitation phrase (sub-label <c>invite</c>: 加我, 看头像 …).</summary>
    Contact,

    /// <summary>Context that makes a post less likely to be an offer: a report or verdict (sub-label <c>counter</c>:
    /// 骗局, 辟谣, 破获 …) or advice against it (<c>warning</c>: 警惕, 千万别信 …). See <see cref="ContextCues"/>.</summary>
    Context,

    /// <summary>A host suffix that is a weak link signal (sub-label <c>shortener</c>, <c>risky-tld</c>, or a contact channel: t.me → <c>telegram</c>).</summary>
    Link,
}

/// <summary>
/// One validated pattern-file line. <see cref="Group"/> names a set of patterns that are the same kind of
/// evidence (synonyms: 据说/网传/内部消息): a group counts once towards its category's lure level, so two
/// ways of saying the same thing are not two pieces of evidence. Null: the pattern is its own group.
/// <see cref="Booster"/> (weight <c>boost</c>): selling talk (现货, 货源充足, 同城闪送) that adds weight 1 to its family
/// only when the family has a lure of its own — "有货" says nothing alone, "有货" beside a drug's street name does.
/// </summary>
public sealed record PatternEntry(string Pattern, PatternRole Role, int Category, string SubLabel, int Weight, string File, int Line, string? Group = null, bool Booster = false)
{
    /// <summary>A lure written as emoji, matched on the post's own text (see <see cref="EmojiPattern"/>).</summary>
    public bool Emoji { get; init; }

    /// <summary>What counts once towards the lure level.</summary>
    public string EvidenceKey => Group is null ? "p:" + Pattern : "g:" + Group;
}

/// <summary>Where a pattern or domain-list problem is, so the operator can fix that exact line.</summary>
public sealed record RuleError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>Detector rules that could not be loaded; the previously loaded rules stay in force.</summary>
public sealed class RuleLoadException : Exception
{
    public RuleLoadException(IReadOnlyList<RuleError> errors)
        : base("Detector rules not loaded: " + string.Join("; ", errors.Take(10)) + (errors.Count > 10 ? $" (+{errors.Count - 10} more)" : ""))
    {
        Errors = errors;
    }

    public RuleLoadException()
        : this([])
    {
    }

    public RuleLoadException(string message)
        : base(message)
    {
        Errors = [];
    }

    public RuleLoadException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = [];
    }

    public IReadOnlyList<RuleError> Errors { get; }
}
