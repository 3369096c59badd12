using Moderation.Ml.Data;

/// <summary>Default locations for the model commands: found from the repository root, so they work from any directory inside it.</summary>
internal static class ModelCliPaths
{
    public static string RepoRoot => DataSources.FindRepoRoot() ?? Directory.GetCurrentDirectory();

    public static string ModelDirectory => Path.Combine(RepoRoot, "models", "classifier");

    public static string ExamplesDirectory => Path.Combine(ModelDirectory, "examples");

    public static string DataRoot => DataSources.DefaultDataRoot(RepoRoot);
}
