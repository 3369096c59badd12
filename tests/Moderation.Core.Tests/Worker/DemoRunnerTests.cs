using Moderation.Worker.Demo;

namespace Moderation.Core.Tests.Worker;

/// <summary>`demo FILE` reports every line it cannot use, with its number and reason, and goes on with the rest.</summary>
public sealed class DemoRunnerTests
{
    private const string Good1 = """{"platform":"t","contentId":"good-1","serviceType":"forum","authorId":"u","body":"今天天气很好","publishedAt":"2026-11-29T08:00:00+08:00","sourceIp":"203.0.113.7"}""";
    private const string Good2 = """{"platform":"t","contentId":"good-2","serviceType":"forum","authorId":"u","body":"本店出售冰毒","publishedAt":"2026-11-29T08:00:00+08:00","sourceIp":"203.0.113.7"}""";

    [Fact]
    public async Task Bad_lines_are_reported_with_their_number_and_the_run_goes_on()
    {
        var file = Path.Combine(Path.GetTempPath(), $"demo-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            Good1,
            """{"platform":"t","contentId":"broken", "body": """,
            """{"platform":"t","contentId":"surrogate","serviceType":"forum","authorId":"u","body":"bad \ud800 x","publishedAt":"2026-11-29T08:00:00+08:00","sourceIp":"203.0.113.7"}""",
            """{"platform":"t","contentId":"dup-key","serviceType":"forum","authorId":"u","body":"出售冰毒","Body":"今天天气很好","publishedAt":"2026-11-29T08:00:00+08:00","sourceIp":"203.0.113.7"}""",
            Good1,
            Good2,
        ]);
        var output = new StringWriter();
        try
        {
            var exit = await DemoRunner.RunAsync(new DemoOptions(file, null, []), output);

            var text = output.ToString();
            Assert.True(exit == 0, text);
            Assert.Contains("pass       t/good-1", text, StringComparison.Ordinal);
            Assert.Contains("block      t/good-2", text, StringComparison.Ordinal);
            Assert.Contains("rejected   line 2  reason: The message is not valid JSON", text, StringComparison.Ordinal);
            Assert.Contains("rejected   line 3  reason: body holds an unpaired UTF-16 surrogate", text, StringComparison.Ordinal);
            Assert.Contains("rejected   line 4  reason: The message has the key \"Body\" twice", text, StringComparison.Ordinal);
            Assert.Contains("rejected   line 5  reason: same platform, contentId and version as line 1", text, StringComparison.Ordinal);
            Assert.Contains("Summary: 6 posts", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
