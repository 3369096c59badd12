using System.Text.Json.Serialization;

namespace Moderation.Contracts;

/// <summary>
/// One piece of explained evidence: a lexicon match, or a detector's finding (a contact channel, a lure
/// phrase, a listed domain). Start/End are UTF-16 offsets into the original text the classifier saw
/// (title, a newline, then body), End exclusive, so a reviewer can highlight exactly what matched.
/// A finding in the post's <c>urls</c> rather than its text has Start = End = -1.
/// </summary>
/// <param name="Kind">What found it (<see cref="HitKinds"/>): absent or null for a lexicon match, so decisions
/// stored before detectors existed read back unchanged and keyword hits serialise exactly as before.</param>
public sealed record KeywordHit(
    string Term,
    int Category,
    string? SubLabel,
    int Severity,
    int Start,
    int End,
    string Matched,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind = null);

/// <summary>The kinds of <see cref="KeywordHit"/>; a hit without a kind is a lexicon (keyword) match.</summary>
public static class HitKinds
{
    public const string Keyword = "keyword";

    /// <summary>A way to get in touch: a phone or QQ number, a WeChat/Telegram id, a link, an invite code, "加我".</summary>
    public const string Contact = "contact";

    /// <summary>A solicitation lure: a betting game, an income promise, paid sex, a loan, accounts for sale ….</summary>
    public const string Lure = "lure";

    /// <summary>A link whose domain (or a parent domain) is on an operator's domain list.</summary>
    public const string Domain = "domain";

    /// <summary>A near-copy of a content-bank entry (Term "bank:&lt;bank&gt;#&lt;entry&gt;@&lt;similarity&gt;", the span it overlaps).</summary>
    public const string Bank = "bank";

    /// <summary>
    /// Counter-context: a cue that the post warns about or reports the offence (骗局, 警方提醒, 辟谣 …). Category 0,
    /// severity 0: it raises nothing; the policy lowers the categories configured for it.
    /// </summary>
    public const string Context = "context";

    /// <summary>Sub-label of a <see cref="Context"/> hit: a report, verdict, debunk or story (骗局, 判决, 辟谣).</summary>
    public const string ReportCue = "counter";

    /// <summary>Sub-label of a <see cref="Context"/> hit: advice against the offence (警惕, 千万别接).</summary>
    public const string WarningCue = "warning";

    /// <summary>The kind of a hit, with null read as <see cref="Keyword"/>.</summary>
    public static string Of(KeywordHit hit) => hit.Kind ?? Keyword;
}
