using Moderation.Detection;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Tests.Serving;

/// <summary>
/// The shipped model reads the detector's findings as features. Trained on one version of the shipped pattern
/// lists and served with another, it sees features it never learnt and misses ones it did: every change to
/// models/detection needs a `moderation train` (25 s) in the same commit.
/// </summary>
public sealed class ShippedModelTests
{
    [Fact]
    public void The_shipped_model_was_trained_on_the_shipped_detector_lists()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Moderation.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Moderation.sln not found above the test binaries");

        var manifest = ModelManifest.Read(Path.Combine(root, "models", "classifier", "model.json"));
        var rules = DetectorRules.Load([Path.Combine(root, "models", "detection")], []);
        Assert.True(manifest.Featurizer.DetectorFeatures);
        Assert.True(string.Equals(rules.Version, manifest.DetectorRulesVersion, StringComparison.Ordinal),
            $"models/classifier was trained on detector rules {manifest.DetectorRulesVersion}, models/detection is {rules.Version}: run `dotnet run --project src/Moderation.Cli -c Release -- train`");
    }
}
