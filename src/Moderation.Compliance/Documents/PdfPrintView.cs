using System.Globalization;
using System.Text;
using Moderation.Compliance.Fonts;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Moderation.Compliance.Documents;

/// <summary>
/// The PDF of a <see cref="PrintDocument"/> (PDFsharp 6.2, MIT), A4, in one embedded TrueType CJK font
/// (<see cref="PdfFontSource"/>). Text wraps per character, since Chinese has no spaces to break at (Latin
/// words still break at a space when one is on the line). A character the font has no glyph for (emoji,
/// rare ideographs) is never dropped and never printed as an empty box: it is written as [U+XXXX].
/// </summary>
public sealed class PdfPrintView(TrueTypeFont font)
{
    private const double Margin = 50;
    private const double BodySize = 9.5;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    /// <summary>The text as it will be printed: every character the font cannot show replaced by a visible [U+XXXX].</summary>
    public string Printable(string text)
    {
        var output = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\n')
                output.Append('\n');
            else if (rune.Value is '\t')
                output.Append("    ");
            else if (rune.Value is '\r')
                continue; // a CR before LF: the line break is printed once (a lone CR is rare and printed as a break by the LF rule below)
            else if (font.Covers(rune.Value) && !Rune.IsControl(rune))
                output.Append(rune.ToString());
            else
                output.Append(CultureInfo.InvariantCulture, $"[U+{rune.Value:X4}]");
        }
        return output.ToString();
    }

    public byte[] Render(PrintDocument doc)
    {
        using var pdf = new PdfDocument();
        pdf.Info.Title = doc.Title;
        pdf.Info.Subject = doc.Reference;
        pdf.Info.Creator = "Moderation compliance desk";
        var writer = new PageWriter(pdf, this);
        writer.Line(doc.Title, 16, bold: true);
        writer.Line(doc.Reference + " · generated " + PrintFormat.Time(doc.GeneratedAt), 8.5);
        writer.Gap(8);
        foreach (var section in doc.Sections)
        {
            writer.Gap(6);
            writer.Line(section.Heading, 12.5, bold: true);
            writer.Rule();
            foreach (var item in section.Items)
            {
                switch (item)
                {
                    case PrintField f:
                        writer.Wrapped(f.Label + ": " + f.Value, BodySize);
                        break;
                    case PrintVerbatim v:
                        writer.Gap(3);
                        writer.Line(v.Label, BodySize, bold: true);
                        writer.Boxed(v.Text, BodySize + 1);
                        break;
                    case PrintTable t:
                        writer.Gap(3);
                        writer.Wrapped(string.Join(" | ", t.Header), BodySize - 0.5, bold: true);
                        foreach (var row in t.Rows)
                            writer.Wrapped(string.Join(" | ", row), BodySize - 0.5);
                        break;
                }
            }
        }
        writer.Finish();
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>
    /// One line of raw text, no substitution, on a small page: for tests that compare how a character is drawn
    /// with how the font's .notdef box is drawn.
    /// </summary>
    internal byte[] RenderRaw(string text, double size)
    {
        using var pdf = new PdfDocument();
        var page = pdf.AddPage();
        page.Width = XUnit.FromPoint(size * 4);
        page.Height = XUnit.FromPoint(size * 2);
        using (var gfx = XGraphics.FromPdfPage(page))
            gfx.DrawString(text, new XFont(PdfFontSource.FamilyName, size, XFontStyleEx.Regular, Unicode), XBrushes.Black, new XPoint(size / 2, size * 1.4));
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>A cursor down the pages; a new A4 page when the next line would not fit.</summary>
    private sealed class PageWriter(PdfDocument pdf, PdfPrintView view)
    {
        private readonly Dictionary<(double, bool), XFont> _fonts = [];
        private XGraphics? _gfx;
        private double _y;
        private int _pages;

        private XFont Font(double size, bool bold)
        {
            if (!_fonts.TryGetValue((size, bold), out var f))
                _fonts[(size, bold)] = f = new XFont(PdfFontSource.FamilyName, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);
            return f;
        }

        private XGraphics Gfx => _gfx ?? NewPage();

        private double Width => 595 - (2 * Margin);

        private XGraphics NewPage()
        {
            _gfx?.Dispose();
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(595);
            page.Height = XUnit.FromPoint(842);
            _gfx = XGraphics.FromPdfPage(page);
            _pages++;
            _gfx.DrawString(string.Create(CultureInfo.InvariantCulture, $"page {_pages}"), Font(7.5, false), XBrushes.Gray, new XPoint(595 - Margin - 30, 842 - 25));
            _y = Margin;
            return _gfx;
        }

        private void Ensure(double height)
        {
            if (_gfx is null || _y + height > 842 - Margin)
                NewPage();
        }

        public void Gap(double points) => _y += points;

        public void Rule()
        {
            Ensure(4);
            Gfx.DrawLine(XPens.Gray, Margin, _y + 1, Margin + Width, _y + 1);
            _y += 4;
        }

        public void Line(string text, double size, bool bold = false) => Wrapped(text, size, bold);

        public void Wrapped(string text, double size, bool bold = false, double indent = 0)
        {
            var font = Font(size, bold);
            foreach (var line in Wrap(view.Printable(text), font, Width - indent))
            {
                Ensure(size * 1.45);
                Gfx.DrawString(line, font, XBrushes.Black, new XPoint(Margin + indent, _y + size), XStringFormats.Default);
                _y += size * 1.45;
            }
        }

        /// <summary>Verbatim text in a framed block, line breaks kept.</summary>
        public void Boxed(string text, double size)
        {
            var top = _y;
            var page = _pages;
            _y += 3;
            Wrapped(text, size, false, 6);
            _y += 3;
            if (page == _pages)
                Gfx.DrawRectangle(XPens.Gray, Margin, top, Width, _y - top);
            _y += 4;
        }

        private IEnumerable<string> Wrap(string text, XFont font, double width)
        {
            foreach (var paragraph in text.Split('\n'))
            {
                if (paragraph.Length == 0)
                {
                    yield return "";
                    continue;
                }
                var line = new StringBuilder();
                var lineWidth = 0.0;
                var lastSpace = -1;
                foreach (var rune in paragraph.EnumerateRunes())
                {
                    var s = rune.ToString();
                    var w = Gfx.MeasureString(s, font).Width;
                    if (lineWidth + w > width && line.Length > 0)
                    {
                        // Break Latin words at the last space on the line; Chinese breaks anywhere.
                        if (rune.Value < 0x2E80 && lastSpace > 0 && !Rune.IsWhiteSpace(rune))
                        {
                            var head = line.ToString(0, lastSpace);
                            var tail = line.ToString(lastSpace + 1, line.Length - lastSpace - 1);
                            yield return head;
                            line.Clear().Append(tail);
                            lineWidth = Gfx.MeasureString(tail, font).Width;
                        }
                        else
                        {
                            yield return line.ToString();
                            line.Clear();
                            lineWidth = 0;
                        }
                        lastSpace = -1;
                    }
                    if (Rune.IsWhiteSpace(rune)) lastSpace = line.Length;
                    line.Append(s);
                    lineWidth += w;
                }
                yield return line.ToString();
            }
        }

        public void Finish()
        {
            if (_gfx is null) NewPage();
            _gfx?.Dispose();
        }
    }
}
