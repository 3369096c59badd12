namespace Moderation.Cli.Keywords;

/// <summary>Finds the repository root (the folder holding Moderation.sln) and the shared reference data beside it.</summary>
internal static class RepoPaths
{
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Moderation.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary><c>&lt;repo&gt;/../shared/data/&lt;relative&gt;</c>, or the relative path itself when no repo is found.</summary>
    public static string SharedData(string relative)
    {
        var root = FindRepoRoot();
        return root is null ? relative : Path.GetFullPath(Path.Combine(root, "..", "shared", "data", relative));
    }
}
