using System.Text.Json;
using System.Text.Json.Serialization;
using Moderation.Ml.Features;

namespace Moderation.Ml.Serving;

/// <summary>Per-category operating points chosen on the dev split, in the shape of the policy's CategoryPolicy.</summary>
public sealed record CategoryThresholds
{
    public double ModelReviewThreshold { get; init; }
    public double ModelBlockThreshold { get; init; }
    public double DevPrecisionAtReview { get; init; }
    public double DevRecallAtReview { get; init; }
    public double DevPrecisionAtBlock { get; init; }
    public double DevRecallAtBlock { get; init; }
}

/// <param name="Independent">True for a category head trained one-vs-rest on every row (this category vs
/// everything else, clean included): its probability is used as it is, not multiplied by P(prohibited).</param>
public sealed record HeadCalibration(string Name, double Slope, double Offset, bool Independent = false);

/// <summary>
/// <c>model.json</c>: what a model directory holds now. Written last (atomically, by rename), so a
/// reader that sees a new version also sees its complete zip; the SHA-256 catches anything else.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "model.json";
    public const string AnyHead = "any";

    public required string Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string ModelFile { get; init; }
    public required string Sha256 { get; init; }
    public required FeaturizerSettings Featurizer { get; init; }

    /// <summary>Category codes in the order of the model's Probabilities vector.</summary>
    public required IReadOnlyList<int> Categories { get; init; }

    /// <summary>
    /// The linear heads in the order of the model's Probabilities vector: "any" (prohibited vs clean),
    /// then one per category: that category vs the other prohibited ones (P(c) = P(prohibited) · P(c |
    /// prohibited)), or, when <see cref="HeadCalibration.Independent"/>, that category vs every other row.
    /// Empty category heads (a single category) mean P(c | prohibited) = 1. Platt parameters are repeated
    /// here for the direct scoring path.
    /// </summary>
    public IReadOnlyList<HeadCalibration> Heads { get; init; } = [];

    public required IReadOnlyDictionary<string, CategoryThresholds> Thresholds { get; init; }

    public double TargetReviewPrecision { get; init; }
    public double TargetBlockPrecision { get; init; }

    /// <summary>Threshold on P(prohibited) for COLD's binary offensive/safe task, chosen on COLD dev.</summary>
    public double OffensiveThreshold { get; init; } = 0.5;

    /// <summary>Seed of the splits and trainer; evaluate rebuilds the same held-out split with it.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// With detector features: the detector rules (pattern lists) the training rows were featurised with.
    /// Serving reads the live rules; a large difference to these is a reason to retrain.
    /// </summary>
    public string? DetectorRulesVersion { get; init; }

    /// <summary>Moderator decisions that went into training (the feedback loop).</summary>
    public int ModeratorDecisions { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ModelManifest Read(string path) =>
        JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: empty manifest");

    /// <summary>Write to a temporary file then rename: readers never see half a manifest.</summary>
    public void WriteAtomically(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }
}
