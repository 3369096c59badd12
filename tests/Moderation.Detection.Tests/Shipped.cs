using Moderation.Contracts;
using Moderation.Detection.Hosting;
using Moderation.Detection.Scoring;

namespace Moderation.Detection.Tests;

/// <summary>The shipped pattern lists (models/detection, copied beside the tests), loaded once.</summary>
internal static class Shipped
{
    public static readonly DetectorRules Rules = DetectorRules.Load([DetectionOptions.DefaultDirectory], []);

    public static DetectionResult Detect(string text, IReadOnlyList<string>? urls = null) => SolicitationDetector.Detect(Rules, text, urls);

    public static List<KeywordHit> Contacts(string text) => Detect(text).Hits.Where(h => h.Kind == HitKinds.Contact).ToList();

    /// <summary>The one address-level contact of a text: its channel and normalised value.</summary>
    public static (string Channel, string Value) Address(string text)
    {
        var addresses = Detect(text).Contacts.Where(c => c.Strength == Moderation.Detection.Contacts.ContactStrength.Address).ToList();
        var one = Assert.Single(addresses);
        return (one.Channel, one.Value);
    }
}

/// <summary>A temporary directory, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "det-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
