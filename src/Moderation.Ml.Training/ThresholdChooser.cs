namespace Moderation.Ml.Training;

public static class ThresholdChooser
{
    /// <summary>Never: thresholds above 1 mean "the model does not act alone on this category".</summary>
    public const double Never = 1.01;

    public const string NeverText = "1.01";

    /// <summary>
    /// The threshold with the highest recall whose precision (on these scores) is at least
    /// <paramref name="targetPrecision"/>, requiring a handful of true positives so a lucky single
    /// hit does not set policy. <see cref="Never"/> when no threshold qualifies.
    /// </summary>
    public static (double Threshold, double Precision, double Recall) ForPrecision(IReadOnlyList<(double Score, bool Positive)> scored, double targetPrecision, int minTruePositives = 5)
    {
        var totalPositives = scored.Count(s => s.Positive);
        if (totalPositives == 0)
        {
            return (Never, 0, 0);
        }

        var sorted = scored.OrderByDescending(s => s.Score).ToArray();
        var tp = 0;
        var best = (Threshold: Never, Precision: 0.0, Recall: 0.0);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Positive)
            {
                tp++;
            }

            // Only cut between distinct scores.
            if (i + 1 < sorted.Length && sorted[i + 1].Score == sorted[i].Score)
            {
                continue;
            }

            var precision = tp / (double)(i + 1);
            var recall = tp / (double)totalPositives;
            if (tp >= minTruePositives && precision >= targetPrecision && recall > best.Recall)
            {
                best = (sorted[i].Score, precision, recall);
            }
        }

        return best;
    }
}
