using Microsoft.ML;
using Microsoft.ML.Data;

namespace Moderation.Ml.Training;

internal sealed class FeatureRow
{
    public VBuffer<float> Features { get; set; }
    public bool Label { get; set; }
    public float Weight { get; set; } = 1f;
}

internal sealed class ModelInput
{
    public VBuffer<float> Features { get; set; }
}

internal sealed class ModelOutput
{
    public VBuffer<float> Probabilities { get; set; }
}

internal static class MlSchemas
{
    public const string Features = "Features";
    public const string Probabilities = "Probabilities";

    public static SchemaDefinition For<T>(int dimension, string column = Features)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema[column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return schema;
    }

    public static SchemaDefinition Output(int heads) => For<ModelOutput>(heads, Probabilities);

    public static IDataView Load(MLContext ml, IEnumerable<FeatureRow> rows, int dimension) =>
        ml.Data.LoadFromEnumerable(rows, For<FeatureRow>(dimension));
}
