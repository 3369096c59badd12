using PdfSharp.Fonts;

namespace Moderation.Compliance.Fonts;

/// <summary>
/// The one font every printed document uses, for Latin and CJK alike. PDFsharp's font resolver is process-wide
/// (<see cref="GlobalFontSettings"/>), so it is installed once; every family name resolves to this face.
/// Why WenQuanYi Micro Hei rather than Noto Sans CJK: Debian ships Noto CJK only as collections of
/// PostScript-outline (CFF) faces, which PDFsharp 6.2 cannot embed (checked: it reads TrueType 'glyf'
/// outlines only, and refuses collections); WQY Micro Hei is a collection of TrueType faces, and
/// <see cref="TrueTypeFont"/> takes its first face out of the collection.
/// </summary>
public static class PdfFontSource
{
    public const string FamilyName = "ModerationPrint";

    /// <summary>Where the font is looked for when Moderation:Compliance:PdfFontFile is not set (Debian package paths).</summary>
    public static readonly IReadOnlyList<string> DefaultFiles =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", // fonts-wqy-microhei
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",   // fonts-wqy-zenhei
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", // fonts-droid-fallback
    ];

    private static readonly Lock Gate = new();
    private static TrueTypeFont? _font;
    private static string? _file;

    /// <summary>The configured file, or the first default that exists; null when none does.</summary>
    public static string? Locate(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? configured : DefaultFiles.FirstOrDefault(File.Exists);

    /// <summary>Loads the font (once per process) and installs the resolver. A second, different file is refused: PDFsharp's resolver cannot be swapped.</summary>
    public static TrueTypeFont Use(string file)
    {
        lock (Gate)
        {
            if (_font is not null)
            {
                if (!string.Equals(_file, file, StringComparison.Ordinal))
                    throw new InvalidOperationException($"The PDF font is already {_file}; one process prints with one font.");
                return _font;
            }
            var font = TrueTypeFont.Load(File.ReadAllBytes(file));
            GlobalFontSettings.FontResolver = new Resolver(font.Bytes);
            _font = font;
            _file = file;
            return font;
        }
    }

    private sealed class Resolver(byte[] face) : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(FamilyName, mustSimulateBold: bold, mustSimulateItalic: italic);

        public byte[] GetFont(string faceName) => face;
    }
}
