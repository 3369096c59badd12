namespace Moderation.Ml.Serving;

/// <summary>
/// Platt scaling fitted by Newton's method with Platt's smoothed targets: P = 1 / (1 + exp(Slope·s + Offset)),
/// the same form as ML.NET's PlattCalibrator, so the fitted pair is handed to ML.NET's fixed Platt calibrator
/// and kept in the manifest for the direct scoring path.
/// </summary>
public sealed record PlattParameters(double Slope, double Offset)
{
    public double Probability(double score) => 1.0 / (1.0 + Math.Exp(Slope * score + Offset));

    public static PlattParameters Fit(IReadOnlyList<(double Score, bool Positive)> data)
    {
        var positives = data.Count(d => d.Positive);
        var negatives = data.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return new PlattParameters(-1, 0);
        }

        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (negatives + 2.0);
        double a = 0, b = Math.Log((negatives + 1.0) / (positives + 1.0));
        for (var iter = 0; iter < 100; iter++)
        {
            double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
            foreach (var (s, y) in data)
            {
                var t = y ? hi : lo;
                var p = 1.0 / (1.0 + Math.Exp(a * s + b));
                var d = t - p; // gradient of the log loss w.r.t. (a·s + b)
                var w = p * (1 - p);
                g1 += s * d;
                g2 += d;
                h11 += s * s * w;
                h22 += w;
                h21 += s * w;
            }

            var det = h11 * h22 - h21 * h21;
            if (Math.Abs(det) < 1e-18)
            {
                break;
            }

            var da = -(h22 * g1 - h21 * g2) / det;
            var db = -(-h21 * g1 + h11 * g2) / det;
            a += da;
            b += db;
            if (Math.Abs(da) < 1e-9 && Math.Abs(db) < 1e-9)
            {
                break;
            }
        }

        return new PlattParameters(a, b);
    }
}
