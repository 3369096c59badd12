using System.Xml.Linq;

namespace Moderation.Architecture.Tests;

/// <summary>Deployables carry only what they run: nothing but a host references an executable, and no executable is a library.</summary>
public sealed class ProjectReferenceTests
{
    private static bool IsExecutable(XDocument project) =>
        (string?)project.Root!.Attribute("Sdk") == "Microsoft.NET.Sdk.Web"
        || project.Descendants("OutputType").Any(e => string.Equals(e.Value.Trim(), "Exe", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void No_library_and_not_the_cli_references_an_executable()
    {
        var projects = Repository.SourceProjects().ToDictionary(Path.GetFullPath, p => XDocument.Load(p), StringComparer.Ordinal);
        var executables = projects.Where(p => IsExecutable(p.Value)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Contains(executables, p => p.EndsWith("Moderation.Worker.csproj", StringComparison.Ordinal));
        Assert.Contains(executables, p => p.EndsWith("Moderation.Review.csproj", StringComparison.Ordinal));

        var offending = new List<string>();
        foreach (var (path, project) in projects)
        {
            var isCli = path.EndsWith("Moderation.Cli.csproj", StringComparison.Ordinal);
            if (executables.Contains(path) && !isCli)
                continue;
            foreach (var reference in project.Descendants("ProjectReference"))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, (string)reference.Attribute("Include")!));
                if (executables.Contains(target))
                    offending.Add($"{Path.GetFileName(path)} -> {Path.GetFileName(target)}");
            }
        }
        Assert.Empty(offending);
    }

    [Fact]
    public void Only_ml_training_references_the_plotting_library()
    {
        var plotting = Repository.SourceProjects()
            .Where(p => XDocument.Load(p).Descendants("PackageReference").Any(r => ((string?)r.Attribute("Include"))?.StartsWith("ScottPlot", StringComparison.Ordinal) == true))
            .Select(Path.GetFileName);
        Assert.Equal(["Moderation.Ml.Training.csproj"], plotting);
    }
}
