using Moderation.Ml.Workflows;

namespace Moderation.Ml.Tests.Evaluation;

public sealed class EvaluateWorkflowTests
{
    [Fact]
    public void Evaluating_other_data_writes_nothing_into_the_model_directory_and_prints_accuracy_and_macro_f1()
    {
        var dir = Fixtures.TempDirectory();
        var model = Fixtures.Train(dir);
        var before = Directory.GetFiles(dir).Select(f => (f, File.GetLastWriteTimeUtc(f), new FileInfo(f).Length)).Order().ToList();
        var output = new StringWriter();

        var report = EvaluateWorkflow.Run(model, Fixtures.Rows(99), "other.tsv", null, null, output);

        var after = Directory.GetFiles(dir).Select(f => (f, File.GetLastWriteTimeUtc(f), new FileInfo(f).Length)).Order().ToList();
        Assert.Equal(before, after);
        Assert.Contains("overall: accuracy", output.ToString(), StringComparison.Ordinal);
        Assert.InRange(report.Overall.Accuracy, 0.5, 1);
        Assert.Equal([0, 4, 8], report.Overall.Labels);
    }
}
