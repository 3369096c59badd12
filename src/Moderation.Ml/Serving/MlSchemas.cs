using Microsoft.ML.Data;

namespace Moderation.Ml.Serving;

/// <summary>What a loaded model's prediction engine reads: one sparse feature vector.</summary>
internal sealed class ModelInput
{
    public VBuffer<float> Features { get; set; }
}

/// <summary>What it writes: one calibrated probability per head.</summary>
internal sealed class ModelOutput
{
    public VBuffer<float> Probabilities { get; set; }
}

/// <summary>Column names and vector sizes shared by the trainer (which writes the chain) and serving (which reads it).</summary>
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
}
