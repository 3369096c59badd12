using System.Diagnostics;

namespace Moderation.Compliance.Tests;

/// <summary>poppler-utils (pdftotext, pdffonts, pdftoppm), as a reader of the printed PDF would see it. Missing tools fail the test.</summary>
internal static class Poppler
{
    public static string Run(string tool, params string[] args)
    {
        var path = "/usr/bin/" + tool;
        if (!File.Exists(path))
            throw new InvalidOperationException($"{tool} not found: apt-get install -y poppler-utils (tests/run.sh does).");
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited {p.ExitCode}: {stderr}");
        return stdout.Result;
    }

    public static string Text(byte[] pdf)
    {
        var file = Temp(pdf);
        try { return Run("pdftotext", "-enc", "UTF-8", "-layout", file, "-"); }
        finally { File.Delete(file); }
    }

    public static string Fonts(byte[] pdf)
    {
        var file = Temp(pdf);
        try { return Run("pdffonts", file); }
        finally { File.Delete(file); }
    }

    /// <summary>Every page as 8-bit grey pixels (PGM), at <paramref name="dpi"/>.</summary>
    public static IReadOnlyList<Gray> Pages(byte[] pdf, int dpi = 72)
    {
        var file = Temp(pdf);
        var prefix = Path.Combine(Path.GetTempPath(), "pgm-" + Guid.NewGuid().ToString("N"));
        try
        {
            Run("pdftoppm", "-gray", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), file, prefix);
            return Directory.GetFiles(Path.GetDirectoryName(prefix)!, Path.GetFileName(prefix) + "*.pgm").Order(StringComparer.Ordinal)
                .Select(f => { var g = Gray.Read(File.ReadAllBytes(f)); File.Delete(f); return g; }).ToList();
        }
        finally { File.Delete(file); }
    }

    private static string Temp(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), "doc-" + Guid.NewGuid().ToString("N") + ".pdf");
        File.WriteAllBytes(file, pdf);
        return file;
    }
}

/// <summary>A binary PGM (P5) image.</summary>
internal sealed record Gray(int Width, int Height, byte[] Pixels)
{
    public int DarkPixels => Pixels.Count(p => p < 128);

    public int DifferentPixels(Gray other) => Pixels.Zip(other.Pixels).Count(x => Math.Abs(x.First - x.Second) > 64);

    public static Gray Read(byte[] pgm)
    {
        var fields = new List<string>();
        var at = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)pgm[at])) at++;
            if (pgm[at] == '#') { while (pgm[at] != '\n') at++; continue; }
            var start = at;
            while (!char.IsWhiteSpace((char)pgm[at])) at++;
            fields.Add(System.Text.Encoding.ASCII.GetString(pgm, start, at - start));
        }
        at++;
        if (fields[0] != "P5") throw new InvalidDataException("not a binary PGM");
        int w = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), h = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        return new Gray(w, h, pgm.AsSpan(at, w * h).ToArray());
    }
}
