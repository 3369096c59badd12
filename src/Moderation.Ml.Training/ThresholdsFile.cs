using System.Text.Json;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Training;

/// <summary>
/// <c>thresholds.json</c>: the model's per-category operating points in the shape of the
/// <c>Moderation:Policy:Categories</c> configuration, so an operator can paste them (or a worker can read them).
/// </summary>
public static class ThresholdsFile
{
    public const string FileName = "thresholds.json";

    public static void Write(string path, ModelManifest manifest)
    {
        var doc = new
        {
            modelVersion = manifest.Version,
            note = $"Chosen on the dev split: review at dev precision >= {manifest.TargetReviewPrecision:0.00}, block at >= {manifest.TargetBlockPrecision:0.00}. A threshold of {ThresholdChooser.Never} means the model never acts alone on that category.",
            targetReviewPrecision = manifest.TargetReviewPrecision,
            targetBlockPrecision = manifest.TargetBlockPrecision,
            Moderation = new
            {
                Policy = new
                {
                    Categories = manifest.Thresholds.ToDictionary(kv => kv.Key, kv => new
                    {
                        kv.Value.ModelReviewThreshold,
                        kv.Value.ModelBlockThreshold,
                    }),
                },
            },
            dev = manifest.Thresholds,
        };
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(doc, ModelManifest.Json));
        File.Move(tmp, path, overwrite: true);
    }
}
