namespace Moderation.Ml.Data;

/// <summary>
/// A fixed split for reference data that has none (clean_zh): a stable hash of the text decides, so
/// training and every evaluation agree on which rows no model has seen without a file listing them.
/// 30% test (held out: never trained on, never used to choose thresholds), 10% dev, 60% train.
/// </summary>
public static class HeldOutSplit
{
    public const int Seed = 20261202;

    public static string For(string text)
    {
        var bucket = (uint)(DatasetBuilder.StableHash(text) ^ Seed) * 2654435761u % 10u;
        return bucket switch
        {
            < 3 => Splits.Test,
            3 => Splits.Dev,
            _ => Splits.Train,
        };
    }

    /// <summary>The row's own split, or the fixed one when it has none.</summary>
    public static string Of(LabelledRow row) => row.Split is Splits.Train or Splits.Dev or Splits.Test ? row.Split : For(row.Text);
}
