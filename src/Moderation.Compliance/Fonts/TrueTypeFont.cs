using System.Buffers.Binary;

namespace Moderation.Compliance.Fonts;

/// <summary>
/// The little of a TrueType file the PDF needs beyond what PDFsharp reads itself: one face taken out of a
/// TrueType collection (.ttc), because PDFsharp 6.2 refuses collections ("not yet supported"), and the
/// face's character map, so that a character the font lacks is substituted visibly instead of printing
/// as an empty .notdef box.
/// </summary>
public sealed class TrueTypeFont
{
    private readonly List<(int First, int Last)> _ranges;

    private TrueTypeFont(byte[] bytes, List<(int, int)> ranges)
    {
        Bytes = bytes;
        _ranges = ranges;
    }

    /// <summary>A standalone single-face font file (sfnt), as PDFsharp's font resolver hands it over.</summary>
    public byte[] Bytes { get; }

    /// <summary>Whether the face maps <paramref name="codePoint"/> to a real glyph (not glyph 0, .notdef).</summary>
    public bool Covers(int codePoint)
    {
        int lo = 0, hi = _ranges.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var (first, last) = _ranges[mid];
            if (codePoint < first) hi = mid - 1;
            else if (codePoint > last) lo = mid + 1;
            else return true;
        }
        return false;
    }

    /// <summary>Reads a .ttf, or face <paramref name="face"/> of a .ttc. Fonts with PostScript (CFF) outlines are refused: PDFsharp embeds glyf outlines only.</summary>
    public static TrueTypeFont Load(byte[] file, int face = 0)
    {
        var sfnt = IsCollection(file) ? ExtractFace(file, face) : file;
        var tables = Tables(sfnt);
        if (!tables.ContainsKey("glyf"))
            throw new NotSupportedException("The font has no 'glyf' table (PostScript/CFF outlines, e.g. Noto Sans CJK); PDFsharp 6.2 embeds TrueType outlines only. Use a TrueType CJK font such as fonts-wqy-microhei.");
        if (!tables.TryGetValue("cmap", out var cmap))
            throw new InvalidDataException("The font has no 'cmap' table.");
        return new TrueTypeFont(sfnt, ReadCmap(sfnt, cmap.Offset));
    }

    private static bool IsCollection(byte[] f) => f.Length > 12 && f[0] == 't' && f[1] == 't' && f[2] == 'c' && f[3] == 'f';

    private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

    private static Dictionary<string, (int Offset, int Length)> Tables(byte[] sfnt, int start = 0)
    {
        var count = U16(sfnt, start + 4);
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var rec = start + 12 + (16 * i);
            var tag = System.Text.Encoding.ASCII.GetString(sfnt, rec, 4);
            tables[tag] = ((int)U32(sfnt, rec + 8), (int)U32(sfnt, rec + 12));
        }
        return tables;
    }

    /// <summary>
    /// A collection's faces share one file, with table offsets counted from the file's start: copy the face's
    /// offset table and its tables into a new file with offsets rewritten (each table 4-byte aligned, as the
    /// format requires). Checksums are copied unchanged: the table bytes are unchanged.
    /// </summary>
    internal static byte[] ExtractFace(byte[] ttc, int face)
    {
        var faces = (int)U32(ttc, 8);
        if (face < 0 || face >= faces)
            throw new ArgumentOutOfRangeException(nameof(face), $"The collection holds {faces} faces.");
        var start = (int)U32(ttc, 12 + (4 * face));
        var count = U16(ttc, start + 4);
        var header = 12 + (16 * count);
        var records = Enumerable.Range(0, count).Select(i => start + 12 + (16 * i)).ToArray();
        var size = header + records.Sum(r => (((int)U32(ttc, r + 12)) + 3) & ~3);
        var output = new byte[size];
        Array.Copy(ttc, start, output, 0, 12);
        var at = header;
        for (var i = 0; i < count; i++)
        {
            var r = records[i];
            var offset = (int)U32(ttc, r + 8);
            var length = (int)U32(ttc, r + 12);
            Array.Copy(ttc, r, output, 12 + (16 * i), 8); // tag + checksum
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(12 + (16 * i) + 8), (uint)at);
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(12 + (16 * i) + 12), (uint)length);
            Array.Copy(ttc, offset, output, at, length);
            at += (length + 3) & ~3;
        }
        return output;
    }

    /// <summary>Code point ranges with a real glyph, from the Unicode cmap subtable (format 12 preferred, else format 4).</summary>
    private static List<(int, int)> ReadCmap(byte[] f, int cmap)
    {
        var count = U16(f, cmap + 2);
        int? format4 = null, format12 = null;
        for (var i = 0; i < count; i++)
        {
            var rec = cmap + 4 + (8 * i);
            var platform = U16(f, rec);
            var encoding = U16(f, rec + 2);
            var sub = cmap + (int)U32(f, rec + 4);
            var format = U16(f, sub);
            if (format == 12 && (platform == 0 || (platform == 3 && encoding == 10))) format12 ??= sub;
            if (format == 4 && (platform == 0 || (platform == 3 && encoding == 1))) format4 ??= sub;
        }
        var ranges = new List<(int, int)>();
        if (format12 is { } t12)
        {
            var groups = (int)U32(f, t12 + 12);
            for (var g = 0; g < groups; g++)
            {
                var rec = t12 + 16 + (12 * g);
                var first = (int)U32(f, rec);
                var last = (int)U32(f, rec + 4);
                if (U32(f, rec + 8) == 0) first++; // the group starts at glyph 0 (.notdef)
                if (first <= last) ranges.Add((first, last));
            }
        }
        else if (format4 is { } t4)
        {
            var segments = U16(f, t4 + 6) / 2;
            var ends = t4 + 14;
            var starts = ends + (2 * segments) + 2;
            var deltas = starts + (2 * segments);
            var rangeOffsets = deltas + (2 * segments);
            for (var s = 0; s < segments; s++)
            {
                int start = U16(f, starts + (2 * s)), end = U16(f, ends + (2 * s));
                var delta = (short)U16(f, deltas + (2 * s));
                var rangeOffset = U16(f, rangeOffsets + (2 * s));
                for (var c = start; c <= end && c != 0xFFFF; c++)
                {
                    int glyph;
                    if (rangeOffset == 0)
                        glyph = (c + delta) & 0xFFFF;
                    else
                    {
                        var at = rangeOffsets + (2 * s) + rangeOffset + (2 * (c - start));
                        glyph = U16(f, at);
                        if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                    }
                    if (glyph == 0) continue;
                    if (ranges.Count > 0 && ranges[^1].Item2 == c - 1) ranges[^1] = (ranges[^1].Item1, c);
                    else ranges.Add((c, c));
                }
            }
        }
        else
        {
            throw new InvalidDataException("The font has no Unicode cmap subtable (format 4 or 12).");
        }
        ranges.Sort();
        return ranges;
    }
}
