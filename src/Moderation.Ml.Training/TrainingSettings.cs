using Moderation.Ml.Features;

namespace Moderation.Ml.Training;

public sealed record TrainingSettings
{
    public int Seed { get; init; } = 20221207;
    public FeaturizerSettings Featurizer { get; init; } = new();

    /// <summary>A category gets its own head only with at least this many training positives.</summary>
    public int MinPositives { get; init; } = 20;

    public float L2Regularization { get; init; } = 1e-6f;
    public float L1Regularization { get; init; }
    public int MaxIterations { get; init; } = 30;

    /// <summary>SDCA's default (0.1) stops long before convergence on sparse text features.</summary>
    public float ConvergenceTolerance { get; init; } = 0.01f;

    /// <summary>Positives are up-weighted towards balance, at most this much (rare categories are tiny).</summary>
    public float MaxPositiveWeight { get; init; } = 4f;

    /// <summary>Stated operating points: review at this dev precision, block at that one.</summary>
    public double TargetReviewPrecision { get; init; } = 0.80;
    public double TargetBlockPrecision { get; init; } = 0.95;
}
