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

    /// <summary>Longer posts are cut here: the first few thousand characters decide, and cost stays bounded.</summary>
    public int MaxChars { get; init; } = 2000;
}
