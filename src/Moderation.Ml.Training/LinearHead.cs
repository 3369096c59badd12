using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Moderation.Ml.Training;

/// <summary>A trained linear head's raw weights: score = bias + w·x.</summary>
internal sealed class LinearHead(float[] weights, float bias)
{
    public float[] Weights { get; } = weights;
    public float Bias { get; } = bias;

    public static LinearHead From(LinearBinaryModelParameters model) => new([.. model.Weights], model.Bias);

    public double Score(in VBuffer<float> features)
    {
        double s = Bias;
        var indices = features.GetIndices();
        var values = features.GetValues();
        if (features.IsDense)
        {
            for (var i = 0; i < values.Length; i++)
            {
                s += Weights[i] * values[i];
            }

            return s;
        }

        for (var i = 0; i < indices.Length; i++)
        {
            s += Weights[indices[i]] * values[i];
        }

        return s;
    }
}
