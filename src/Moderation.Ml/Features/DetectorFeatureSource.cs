using Moderation.Detection;
using Moderation.Detection.Hosting;
using Moderation.Detection.Scoring;

namespace Moderation.Ml.Features;

/// <summary>
/// Where a model that was trained with the detector's outputs as features gets them: the worker's live
/// detector rules when it runs one, else the shipped pattern lists beside the application. Thread-safe.
/// </summary>
public sealed class DetectorFeatureSource(Func<DetectorRules> rules)
{
    /// <exception cref="Moderation.Detection.Patterns.RuleLoadException">The shipped lists are missing or bad.</exception>
    public static DetectorFeatureSource ShippedRules()
    {
        var loaded = DetectorRules.Load([DetectionOptions.DefaultDirectory], []);
        return new DetectorFeatureSource(() => loaded);
    }

    public string Version => rules().Version;

    /// <summary>The post's detector findings as feature tokens (text only, default settings: as in training).</summary>
    public IReadOnlyList<string> Tokens(string text) => DetectionFeatures.Tokens(SolicitationDetector.DetectText(rules(), text));
}
