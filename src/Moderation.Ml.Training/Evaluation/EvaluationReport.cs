namespace Moderation.Ml.Evaluation;

public sealed record CategoryMetrics(int Category, double Threshold, int Support, int TruePositives, int FalsePositives, int FalseNegatives, double Precision, double Recall, double F1, double AveragePrecision);

public sealed record ConfusionMatrix(IReadOnlyList<int> Labels, IReadOnlyList<IReadOnlyList<int>> Counts);

public sealed record ColdTestResult(int Rows, double Accuracy, double MacroF1, int AntiBiasRows, double AntiBiasAccuracy, double Threshold)
{
    public string Line => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"cold-test: accuracy {Accuracy:0.000}, macro-f1 {MacroF1:0.000}, anti-bias accuracy {AntiBiasAccuracy:0.000}");
}

public sealed record PrPoint(double Threshold, double Precision, double Recall);

/// <summary>
/// The model as one multi-class classifier (each row's most likely category over its review threshold, else
/// clean) against the rows' labels: accuracy, and macro-F1 = the mean F1 of every label the rows hold.
/// </summary>
public sealed record OverallResult(int Rows, double Accuracy, double MacroF1, IReadOnlyList<int> Labels)
{
    public string Line => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"overall: accuracy {Accuracy:0.000}, macro-f1 {MacroF1:0.000} over labels {string.Join(",", Labels)} ({Rows} rows)");
}

public sealed record EvaluationReport
{
    public required string ModelVersion { get; init; }
    public required string Dataset { get; init; }
    public required int Rows { get; init; }
    public required IReadOnlyList<CategoryMetrics> Categories { get; init; }
    public required ConfusionMatrix Confusion { get; init; }
    public required OverallResult Overall { get; init; }
    public ColdTestResult? ColdTest { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<PrPoint>> PrCurves { get; init; }
}
