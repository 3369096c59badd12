using System.Text.RegularExpressions;

namespace Moderation.Architecture.Tests;

/// <summary>One data boundary: every SQL statement in src/ lives in Moderation.Storage.</summary>
public sealed partial class SqlLocationTests
{
    [GeneratedRegex(@"\bSELECT\b[\s\S]{0,400}?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+(AS\s+\w+\s+|\w+\s+)?SET\b|\bDELETE\s+FROM\b|\b(CREATE|DROP|ALTER)\s+(TABLE|DATABASE|INDEX|TRIGGER|FUNCTION|VIEW)\b|\bCOPY\s+\w+\s*\(|\bTRUNCATE\b|\bANALYZE\b|\bPRAGMA\b")]
    private static partial Regex Sql();

    [Fact]
    public void Sql_appears_only_under_moderation_storage()
    {
        var src = Path.Combine(Repository.Root, "src");
        var storage = Path.Combine(src, "Moderation.Storage") + Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => f.StartsWith(storage, StringComparison.Ordinal) && Sql().IsMatch(File.ReadAllText(f)));

        var outside = files
            .Where(f => !f.StartsWith(storage, StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Repository.Root, f), Match: Sql().Match(File.ReadAllText(f))))
            .Where(x => x.Match.Success || x.File.EndsWith(".sql", StringComparison.Ordinal))
            .Select(x => $"{x.File}: {x.Match.Value}")
            .ToList();
        Assert.Empty(outside);
    }
}
