using Moderation.Compliance.Documents;
using Moderation.Compliance.Fonts;

namespace Moderation.Compliance.Tests;

/// <summary>The printed PDF read back by poppler: the text round-trips, the CJK font is embedded, and every glyph is drawn.</summary>
public sealed class PdfPrintViewTests
{
    private const string Chinese = "今天天气很好，我们去公园散步。违禁内容举报";
    private const string Emoji = "👍🎉";
    private const string Script = "<script>alert('x')</script>";
    private static readonly string Body = $"{Chinese} {Emoji}\n{Script}\n第二行 second line";

    private static TrueTypeFont Font()
    {
        var file = PdfFontSource.Locate(null)
            ?? throw new InvalidOperationException("No CJK TrueType font: apt-get install -y fonts-wqy-microhei (tests/run.sh does).");
        return PdfFontSource.Use(file);
    }

    private static PrintDocument Doc() => new("Evidence: forum-a / p-1 v1", "case 1234", DateTimeOffset.Parse("2026-12-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    [
        new PrintSection("Content exactly as posted", [new PrintVerbatim("Title + body", Body), new PrintField("Author", "作者-7")]),
        new PrintSection("Hits", [new PrintTable(["kind", "term", "offsets"], [["keyword", "违禁", "19–21"]])]),
    ]);

    [Fact]
    public void The_pdf_text_reads_back_with_the_chinese_the_script_as_text_and_each_emoji_substituted_visibly()
    {
        var view = new PdfPrintView(Font());
        var text = Poppler.Text(view.Render(Doc()));

        Assert.Contains(Chinese, text, StringComparison.Ordinal);
        Assert.Contains(Script, text, StringComparison.Ordinal);
        Assert.Contains("第二行 second line", text, StringComparison.Ordinal);
        Assert.Contains("[U+1F44D][U+1F389]", text, StringComparison.Ordinal);
        Assert.Contains("作者-7", text, StringComparison.Ordinal);
        Assert.Contains("违禁", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cjk_font_is_embedded_with_a_unicode_map()
    {
        var fonts = Poppler.Fonts(new PdfPrintView(Font()).Render(Doc()));
        var line = fonts.Split('\n').Single(l => l.Contains("ModerationPrint", StringComparison.Ordinal) || l.Contains("WenQuanYi", StringComparison.OrdinalIgnoreCase));
        // columns: name type encoding emb sub uni object ID
        Assert.Matches(@"\byes\s+yes\s+yes\b", line);
    }

    [Fact]
    public void Every_character_of_the_post_is_drawn_as_a_glyph_and_not_as_the_notdef_box()
    {
        var font = Font();
        var view = new PdfPrintView(font);
        var printed = view.Printable(Body);
        // Private-use U+E000 has no glyph in the font: PDFsharp draws glyph 0, the .notdef box.
        Assert.False(font.Covers(0xE000));
        var notdef = Poppler.Pages(view.RenderRaw("\uE000", 24), 96).Single();

        var checkedGlyphs = 0;
        foreach (var rune in printed.EnumerateRunes().Where(r => !System.Text.Rune.IsWhiteSpace(r)).Distinct())
        {
            var image = Poppler.Pages(view.RenderRaw(rune.ToString(), 24), 96).Single();
            Assert.True(image.DarkPixels > 0, $"U+{rune.Value:X4} '{rune}' drew nothing");
            Assert.True(image.DifferentPixels(notdef) > 3, $"U+{rune.Value:X4} '{rune}' drew the .notdef box");
            checkedGlyphs++;
        }
        Assert.True(checkedGlyphs > 30);
    }

    [Fact]
    public void The_case_pdf_pages_render_with_ink_on_them()
    {
        var pages = Poppler.Pages(new PdfPrintView(Font()).Render(Doc()));
        Assert.NotEmpty(pages);
        Assert.True(pages[0].DarkPixels > 500);
    }

    [Fact]
    public void The_html_print_view_shows_the_script_as_text()
    {
        var html = HtmlPrintView.Render(Doc());
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains(Chinese, html, StringComparison.Ordinal);
        Assert.Contains(Emoji, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal); // encoded as &#128077; etc.
    }

    [Fact]
    public void A_face_taken_out_of_a_collection_is_a_font_with_the_same_tables()
    {
        var ttc = File.ReadAllBytes(PdfFontSource.Locate(null)!);
        Assert.Equal((byte)'t', ttc[0]); // the default font is a collection (fonts-wqy-microhei)
        var face = TrueTypeFont.ExtractFace(ttc, 0);
        Assert.Equal(0x00010000u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(face));
        var font = TrueTypeFont.Load(ttc);
        Assert.True(font.Covers('中'));
        Assert.True(font.Covers('A'));
        Assert.False(font.Covers(0x1F44D));
    }
}
