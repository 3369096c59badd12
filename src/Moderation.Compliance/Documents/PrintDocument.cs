namespace Moderation.Compliance.Documents;

/// <summary>
/// A printable document as data: the evidence of a report case, an incident report. One model, two renderers
/// (<see cref="HtmlPrintView"/> and <see cref="PdfPrintView"/>), so the print view and the PDF never disagree.
/// Every string in it is untrusted text (post content, author ids): renderers print it, never interpret it.
/// </summary>
public sealed record PrintDocument(string Title, string Reference, DateTimeOffset GeneratedAt, IReadOnlyList<PrintSection> Sections);

public sealed record PrintSection(string Heading, IReadOnlyList<PrintItem> Items);

public abstract record PrintItem;

/// <summary>A label and a short value on one line (wrapped if long).</summary>
public sealed record PrintField(string Label, string Value) : PrintItem;

/// <summary>Text exactly as posted: line breaks and spaces kept, nothing interpreted.</summary>
public sealed record PrintVerbatim(string Label, string Text) : PrintItem;

/// <summary>Rows of cells under a header row.</summary>
public sealed record PrintTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : PrintItem;
