namespace Moderation.Ml.Features;

/// <summary>How text becomes a hashed sparse vector. Saved in the model manifest: serving must featurize exactly as training did.</summary>
public sealed record FeaturizerSettings
{
    /// <summary>Hash space is 2^HashBits. The vocabulary size is the lever on zip size and speed.</summary>
    public int HashBits { get; init; } = 18;

    public int MinNgram { get; init; } = 1;

    public int MaxNgram { get; init; } = 3;

    /// <summary>Whole latin-letter words as extra features (the English data has words, not characters).</summary>
    public bool LatinWords { get; init; } = true;

    /// <summary>
    /// Add the solicitation detector's findings (<see cref="Moderation.Detection.Scoring.DetectionFeatures"/>)
    /// as features beside the n-grams. False for models trained before the detector existed.
    /// </summary>
    public bool DetectorFeatures { get; init; }

    /// <summary>Value of each detector feature, added after the n-grams are L2-normalised so it does not fade in long posts.</summary>
    public float DetectorFeatureWeight { get; init; } = 0.5f;

    /// <summary>Longer posts are cut here: the first few thousand characters decide, and cost stays bounded.</summary>
    public int MaxChars { get; init; } = 2000;
}
