namespace Moderation.Ml.Evaluation;

/// <summary>Pure metric arithmetic, separate from models so it can be checked by hand in tests.</summary>
public static class Metrics
{
    public static CategoryMetrics Binary(int category, double threshold, IReadOnlyList<(double Score, bool Positive)> scored)
    {
        int tp = 0, fp = 0, fn = 0, support = 0;
        foreach (var (score, positive) in scored)
        {
            var predicted = score >= threshold;
            support += positive ? 1 : 0;
            if (predicted && positive)
            {
                tp++;
            }
            else if (predicted)
            {
                fp++;
            }
            else if (positive)
            {
                fn++;
            }
        }

        var precision = tp + fp == 0 ? 0 : tp / (double)(tp + fp);
        var recall = tp + fn == 0 ? 0 : tp / (double)(tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new CategoryMetrics(category, threshold, support, tp, fp, fn, precision, recall, f1, AveragePrecision(scored));
    }

    /// <summary>Area under the step PR curve: mean precision at each true positive's rank.</summary>
    public static double AveragePrecision(IReadOnlyList<(double Score, bool Positive)> scored)
    {
        var total = scored.Count(s => s.Positive);
        if (total == 0)
        {
            return 0;
        }

        var tp = 0;
        var sum = 0.0;
        var i = 0;
        foreach (var s in scored.OrderByDescending(s => s.Score))
        {
            i++;
            if (s.Positive)
            {
                tp++;
                sum += tp / (double)i;
            }
        }

        return sum / total;
    }

    /// <summary>Precision/recall at every distinct score, highest threshold first, thinned to at most <paramref name="maxPoints"/>.</summary>
    public static IReadOnlyList<PrPoint> PrCurve(IReadOnlyList<(double Score, bool Positive)> scored, int maxPoints = 200)
    {
        var total = scored.Count(s => s.Positive);
        var sorted = scored.OrderByDescending(s => s.Score).ToArray();
        var points = new List<PrPoint>();
        var tp = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            tp += sorted[i].Positive ? 1 : 0;
            if (i + 1 < sorted.Length && sorted[i + 1].Score == sorted[i].Score)
            {
                continue;
            }

            points.Add(new PrPoint(sorted[i].Score, tp / (double)(i + 1), total == 0 ? 0 : tp / (double)total));
        }

        if (points.Count <= maxPoints)
        {
            return points;
        }

        var step = points.Count / (double)maxPoints;
        return Enumerable.Range(0, maxPoints).Select(k => points[(int)(k * step)]).Append(points[^1]).ToList();
    }

    /// <summary>Binary accuracy and macro-F1 (mean of both classes' F1).</summary>
    public static (double Accuracy, double MacroF1) BinaryAccuracy(IReadOnlyList<(bool Predicted, bool Actual)> pairs)
    {
        if (pairs.Count == 0)
        {
            return (0, 0);
        }

        int tp = 0, tn = 0, fp = 0, fn = 0;
        foreach (var (p, a) in pairs)
        {
            if (p && a)
            {
                tp++;
            }
            else if (!p && !a)
            {
                tn++;
            }
            else if (p)
            {
                fp++;
            }
            else
            {
                fn++;
            }
        }

        static double F1(int t, int f1, int f2) => t == 0 ? 0 : 2.0 * t / (2.0 * t + f1 + f2);
        return ((tp + tn) / (double)pairs.Count, (F1(tp, fp, fn) + F1(tn, fn, fp)) / 2);
    }

    /// <summary>Rows: true label; columns: predicted label. Labels sorted ascending.</summary>
    public static ConfusionMatrix Confusion(IEnumerable<(int Actual, int Predicted)> pairs)
    {
        var list = pairs.ToList();
        var labels = list.SelectMany(p => new[] { p.Actual, p.Predicted }).Distinct().Order().ToList();
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i);
        var counts = labels.Select(_ => new int[labels.Count]).ToArray();
        foreach (var (a, p) in list)
        {
            counts[index[a]][index[p]]++;
        }

        return new ConfusionMatrix(labels, counts);
    }

    /// <summary>Accuracy and macro-F1 (over the labels that occur as true labels) from a confusion matrix.</summary>
    public static OverallResult Overall(ConfusionMatrix confusion)
    {
        var n = confusion.Labels.Count;
        long total = 0, correct = 0;
        var f1s = new List<double>();
        var labels = new List<int>();
        for (var i = 0; i < n; i++)
        {
            long support = 0, predicted = 0;
            for (var j = 0; j < n; j++)
            {
                support += confusion.Counts[i][j];
                predicted += confusion.Counts[j][i];
            }

            total += support;
            var tp = confusion.Counts[i][i];
            correct += tp;
            if (support == 0)
            {
                continue;
            }

            var precision = predicted == 0 ? 0 : tp / (double)predicted;
            var recall = tp / (double)support;
            f1s.Add(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
            labels.Add(confusion.Labels[i]);
        }

        return new OverallResult((int)total, total == 0 ? 0 : correct / (double)total, f1s.Count == 0 ? 0 : f1s.Average(), labels);
    }
}
