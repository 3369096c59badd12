using System.Diagnostics;

namespace Moderation.Architecture.Tests;

/// <summary>
/// The worker's real publish output (dotnet publish, reusing the build these tests were built with)
/// carries serving only: no training code, no plotting library and its native graphics stack.
/// </summary>
public sealed class WorkerPublishTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"worker-publish-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_output))
            Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task Worker_publish_output_holds_no_training_or_plotting_assembly()
    {
        var project = Path.Combine(Repository.Root, "src", "Moderation.Worker", "Moderation.Worker.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", Repository.Configuration, "--no-build", "-o", _output, "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");

        var files = Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_output, f).Replace('\\', '/'))
            .ToList();
        // The publish really is the worker with its serving stack, so an empty or wrong folder cannot pass.
        Assert.Contains("Moderation.Worker.dll", files);
        Assert.Contains("Moderation.Pipeline.dll", files);
        Assert.Contains("Moderation.Ml.dll", files);
        Assert.Contains("Microsoft.ML.StandardTrainers.dll", files);
        Assert.Contains("classifier/model.json", files);

        string[] forbidden = ["Moderation.Ml.Training", "ScottPlot", "SkiaSharp", "libSkiaSharp", "HarfBuzzSharp", "libHarfBuzzSharp", "Moderation.Cli", "moderation.dll"];
        var found = files.Where(f => forbidden.Any(name => Path.GetFileName(f).StartsWith(name, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.Empty(found);
    }
}
