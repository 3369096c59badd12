namespace Moderation.Contracts;

/// <summary>
/// One lexicon match. Start/End are UTF-16 offsets into the original text the classifier saw
/// (title, a newline, then body), End exclusive, so a reviewer can highlight exactly what matched.
/// </summary>
public sealed record KeywordHit(
    string Term,
    int Category,
    string? SubLabel,
    int Severity,
    int Start,
    int End,
    string Matched);
