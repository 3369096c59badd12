using Moderation.Ml.Evaluation;
using Moderation.Ml.Serving;
using Moderation.Ml.Training;

namespace Moderation.Ml.Tests.Evaluation;

public sealed class MetricsTests
{
    // Six posts, hand-checked: at threshold 0.5 → predicted positive: 0.9(+), 0.8(-), 0.6(+); missed: 0.3(+).
    private static readonly (double Score, bool Positive)[] Six =
    [
        (0.9, true), (0.8, false), (0.6, true), (0.3, true), (0.2, false), (0.1, false),
    ];

    [Fact]
    public void Binary_metrics_match_the_hand_count()
    {
        var m = Metrics.Binary(8, 0.5, Six);
        Assert.Equal(3, m.Support);
        Assert.Equal(2, m.TruePositives);
        Assert.Equal(1, m.FalsePositives);
        Assert.Equal(1, m.FalseNegatives);
        Assert.Equal(2.0 / 3, m.Precision, 10);
        Assert.Equal(2.0 / 3, m.Recall, 10);
        Assert.Equal(2.0 / 3, m.F1, 10);
    }

    [Fact]
    public void Average_precision_is_the_mean_precision_at_each_true_positive()
    {
        // positives at ranks 1, 3, 4: (1/1 + 2/3 + 3/4) / 3
        Assert.Equal((1.0 + 2.0 / 3 + 0.75) / 3, Metrics.AveragePrecision(Six), 10);
    }

    [Fact]
    public void Binary_accuracy_and_macro_f1_match_the_hand_count()
    {
        // tp 2, fn 1, fp 1, tn 2: accuracy 4/6; F1(pos) = 4/6, F1(neg) = 4/6
        var pairs = new[] { (true, true), (true, true), (false, true), (true, false), (false, false), (false, false) };
        var (accuracy, macroF1) = Metrics.BinaryAccuracy(pairs);
        Assert.Equal(4.0 / 6, accuracy, 10);
        Assert.Equal(4.0 / 6, macroF1, 10);

        // tp 1, fn 0, fp 1, tn 2: F1(pos) = 2/3, F1(neg) = 4/5
        var (acc2, f2) = Metrics.BinaryAccuracy([(true, true), (true, false), (false, false), (false, false)]);
        Assert.Equal(0.75, acc2, 10);
        Assert.Equal((2.0 / 3 + 0.8) / 2, f2, 10);
    }

    [Fact]
    public void Confusion_matrix_counts_true_rows_against_predicted_columns()
    {
        var m = Metrics.Confusion([(0, 0), (0, 8), (8, 8), (8, 8), (4, 0)]);
        Assert.Equal([0, 4, 8], m.Labels);
        Assert.Equal([1, 0, 1], m.Counts[0]);
        Assert.Equal([1, 0, 0], m.Counts[1]);
        Assert.Equal([0, 0, 2], m.Counts[2]);
    }

    [Fact]
    public void Threshold_for_precision_takes_the_highest_recall_that_meets_the_target()
    {
        var (threshold, precision, recall) = ThresholdChooser.ForPrecision(Six, 0.6, minTruePositives: 1);
        // cut at 0.3: 3 tp of 4 predicted = 0.75 precision, recall 1
        Assert.Equal(0.3, threshold);
        Assert.Equal(0.75, precision, 10);
        Assert.Equal(1.0, recall, 10);
        Assert.Equal(ThresholdChooser.Never, ThresholdChooser.ForPrecision(Six, 0.99, minTruePositives: 2).Threshold);
    }

    [Fact]
    public void Pr_curve_runs_from_high_threshold_to_full_recall()
    {
        var curve = Metrics.PrCurve(Six);
        Assert.Equal(6, curve.Count);
        Assert.Equal(1.0, curve[0].Precision);
        Assert.Equal(1.0 / 3, curve[0].Recall, 10);
        Assert.Equal(1.0, curve[^1].Recall);
        Assert.Equal(0.5, curve[^1].Precision, 10);
    }
}

public sealed class PlattScalingTests
{
    [Fact]
    public void Platt_fit_orders_probabilities_by_score_and_matches_ml_net_convention()
    {
        var data = Enumerable.Range(0, 200).Select(i => (Score: (i - 100) / 20.0, Positive: i % 10 < i / 20)).ToArray();
        var platt = PlattParameters.Fit(data);
        Assert.True(platt.Slope < 0); // P = 1 / (1 + exp(slope·s + offset)) rises with the score
        Assert.True(platt.Probability(3) > platt.Probability(0));
        Assert.InRange(platt.Probability(-10), 0, 0.2);
        Assert.InRange(platt.Probability(10), 0.8, 1);
    }

    [Fact]
    public void Platt_fit_converges_on_a_few_well_separated_positives_among_many_negatives()
    {
        // 25 positives far above 10,000 negatives: plain Newton steps diverge here (slope ~1e7), the line search does not.
        var rng = new Random(5);
        var data = Enumerable.Range(0, 25).Select(_ => (Score: 3 + rng.NextDouble(), Positive: true))
            .Concat(Enumerable.Range(0, 10_000).Select(_ => (Score: -3 - rng.NextDouble(), Positive: false)))
            .ToArray();
        var platt = PlattParameters.Fit(data);
        Assert.InRange(platt.Slope, -100, -0.01);
        Assert.True(double.IsFinite(platt.Offset));
        Assert.InRange(platt.Probability(3.5), 0.5, 1);
        Assert.InRange(platt.Probability(-3.5), 0, 0.05);
    }
}

public sealed class OverallMetricsTests
{
    [Fact]
    public void Overall_accuracy_and_macro_f1_match_the_hand_count()
    {
        // true 0: 3 rows (2 right, 1 predicted 7); true 7: 2 rows (1 right, 1 predicted 0); nothing true is 9, one predicted 9.
        var confusion = Metrics.Confusion([(0, 0), (0, 0), (0, 7), (7, 7), (7, 0), (0, 9)]);
        var overall = Metrics.Overall(confusion);
        Assert.Equal(6, overall.Rows);
        Assert.Equal(3 / 6.0, overall.Accuracy, 6);
        // label 0: precision 2/3, recall 2/4 → F1 4/7; label 7: precision 1/2, recall 1/2 → 1/2; 9 has no true rows: left out
        Assert.Equal((4 / 7.0 + 0.5) / 2, overall.MacroF1, 6);
        Assert.Equal([0, 7], overall.Labels);
    }
}
