namespace Moderation.Ml.Evaluation;

public sealed record CategoryMetrics(int Category, double Threshold, int Support, int TruePositives, int FalsePositives, int FalseNegatives, double Precision, double Recall, double F1, double AveragePrecision);

public sealed record ConfusionMatrix(IReadOnlyList<int> Labels, IReadOnlyList<IReadOnlyList<int>> Counts);

public sealed record ColdTestResult(int Rows, double Accuracy, double MacroF1, int AntiBiasRows, double AntiBiasAccuracy, double Threshold)
{
    public string Line => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"cold-test: accuracy {Accuracy:0.000}, macro-f1 {MacroF1:0.000}, anti-bias accuracy {AntiBiasAccuracy:0.000}");
}

public sealed record PrPoint(double Threshold, double Precision, double Recall);

public sealed record EvaluationReport
{
    public required string ModelVersion { get; init; }
    public required string Dataset { get; init; }
    public required int Rows { get; init; }
    public required IReadOnlyList<CategoryMetrics> Categories { get; init; }
    public required ConfusionMatrix Confusion { get; init; }
    public ColdTestResult? ColdTest { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<PrPoint>> PrCurves { get; init; }
}
