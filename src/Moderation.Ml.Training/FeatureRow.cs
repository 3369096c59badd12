using Microsoft.ML;
using Microsoft.ML.Data;
using Moderation.Ml.Serving;

namespace Moderation.Ml.Training;

/// <summary>One training row: features, label and weight.</summary>
internal sealed class FeatureRow
{
    public VBuffer<float> Features { get; set; }
    public bool Label { get; set; }
    public float Weight { get; set; } = 1f;

    public static IDataView Load(MLContext ml, IEnumerable<FeatureRow> rows, int dimension) =>
        ml.Data.LoadFromEnumerable(rows, MlSchemas.For<FeatureRow>(dimension));
}
