namespace Moderation.Ml.Serving;

/// <summary>
/// Platt scaling: P = 1 / (1 + exp(Slope·s + Offset)), the same form as ML.NET's PlattCalibrator, so the
/// fitted pair is handed to ML.NET's fixed Platt calibrator and kept in the manifest for the direct
/// scoring path. Fitted with Platt's smoothed targets by Newton's method with a backtracking line search
/// (Lin, Lin and Weng, "A note on Platt's probabilistic outputs for support vector machines", 2007).
/// Plain Newton steps diverge on a small, well-separated class (a few dozen positives against thousands
/// of negatives): the line search keeps every step downhill.
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
        var f = Objective(data, a, b, hi, lo);
        const double sigma = 1e-12, minStep = 1e-10, eps = 1e-5;
        for (var iter = 0; iter < 100; iter++)
        {
            double g1 = 0, g2 = 0, h11 = sigma, h22 = sigma, h21 = 0;
            foreach (var (s, y) in data)
            {
                var t = y ? hi : lo;
                var fApB = s * a + b;
                double p, q;
                if (fApB >= 0)
                {
                    var e = Math.Exp(-fApB);
                    p = e / (1.0 + e);
                    q = 1.0 / (1.0 + e);
                }
                else
                {
                    var e = Math.Exp(fApB);
                    p = 1.0 / (1.0 + e);
                    q = e / (1.0 + e);
                }

                var d2 = p * q;
                h11 += s * s * d2;
                h22 += d2;
                h21 += s * d2;
                var d1 = t - p;
                g1 += s * d1;
                g2 += d1;
            }

            if (Math.Abs(g1) < eps && Math.Abs(g2) < eps)
            {
                break;
            }

            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;
            var step = 1.0;
            while (step >= minStep)
            {
                var na = a + step * dA;
                var nb = b + step * dB;
                var nf = Objective(data, na, nb, hi, lo);
                if (nf < f + 0.0001 * step * gd)
                {
                    a = na;
                    b = nb;
                    f = nf;
                    break;
                }

                step /= 2;
            }

            if (step < minStep)
            {
                break; // no downhill step left: as good as it gets
            }
        }

        return new PlattParameters(a, b);
    }

    private static double Objective(IReadOnlyList<(double Score, bool Positive)> data, double a, double b, double hi, double lo)
    {
        var f = 0.0;
        foreach (var (s, y) in data)
        {
            var t = y ? hi : lo;
            var fApB = s * a + b;
            f += fApB >= 0 ? t * fApB + Math.Log(1 + Math.Exp(-fApB)) : (t - 1) * fApB + Math.Log(1 + Math.Exp(fApB));
        }

        return f;
    }
}
