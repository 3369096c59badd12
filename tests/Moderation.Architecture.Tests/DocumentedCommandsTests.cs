using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Moderation.Architecture.Tests;

/// <summary>
/// Every `dotnet run --project src/Moderation.{Cli,Worker,Review} -- …` line in the README and docs/ parses as
/// written: the real entry point is started with System.CommandLine's <c>[diagram]</c> directive, which parses the
/// line and reports errors (unknown command, unknown option, missing or invalid value) without running anything.
/// A renamed command or option that the docs still show fails here. Running them is left to the tests that own
/// each command (most need a database, a broker or minutes of CPU).
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    private static readonly Dictionary<string, string> Entry = new(StringComparer.Ordinal)
    {
        ["src/Moderation.Cli"] = "src/Moderation.Cli/bin/{0}/net10.0/moderation.dll",
        ["src/Moderation.Worker"] = "src/Moderation.Worker/bin/{0}/net10.0/Moderation.Worker.dll",
        ["src/Moderation.Review"] = "src/Moderation.Review/bin/{0}/net10.0/Moderation.Review.dll",
    };

    [Fact]
    public async Task Every_documented_command_line_parses()
    {
        var root = Repository.Root;
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var commands = DocumentedCommands(root).ToList();
        Assert.True(commands.Count >= 20, $"expected the docs to show at least 20 commands, found {commands.Count}");

        var failures = new List<string>();
        foreach (var (file, line, project, args) in commands)
        {
            var dll = Path.Combine(root, string.Format(System.Globalization.CultureInfo.InvariantCulture, Entry[project], configuration));
            Assert.True(File.Exists(dll), $"{dll} is not built");
            var (exit, output) = await RunAsync(dll, ["[diagram]", .. args]);
            if (exit != 0)
                failures.Add($"{file}:{line}: {project} -- {string.Join(' ', args)}\n    {output.Trim().Replace("\n", "\n    ", StringComparison.Ordinal)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {commands.Count} documented commands do not parse:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task The_check_can_fail_a_renamed_option()
    {
        var root = Repository.Root;
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(root, string.Format(System.Globalization.CultureInfo.InvariantCulture, Entry["src/Moderation.Cli"], configuration));
        var (good, _) = await RunAsync(dll, ["[diagram]", "detect", "--help"]);
        var (bad, output) = await RunAsync(dll, ["[diagram]", "evaluate-decisions", "--no-such-option", "x"]);
        Assert.Equal(0, good);
        Assert.NotEqual(0, bad);
        Assert.Contains("--no-such-option", output, StringComparison.Ordinal);
    }

    /// <summary>(file, line, project, arguments) for every documented `dotnet run` of an entry point.</summary>
    internal static IEnumerable<(string File, int Line, string Project, string[] Args)> DocumentedCommands(string root)
    {
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        foreach (var path in files)
        {
            var lines = File.ReadAllLines(path);
            var inCode = false;
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal)) { inCode = !inCode; continue; }
                // Commands are also quoted inline (`dotnet run … -- x`); both count.
                var text = lines[i];
                var first = i;
                while (text.EndsWith('\\') && i + 1 < lines.Length)
                    text = text[..^1] + " " + lines[++i].Trim();
                foreach (Match m in CommandPattern().Matches(inCode ? text : string.Join(' ', InlineCode().Matches(text).Select(c => c.Groups[1].Value))))
                {
                    var args = Tokenize(m.Groups["args"].Value);
                    if (args is null)
                        continue;
                    yield return (Path.GetRelativePath(root, path), first + 1, m.Groups["project"].Value, args);
                }
            }
        }
    }

    /// <summary>Shell-like split: quotes group, `#` after a space starts a comment, a pipe or redirect ends the command.
    /// Null when the line is a template rather than a command (`[optional]` parts, `…`, `|` alternatives).</summary>
    private static string[]? Tokenize(string s)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var started = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote is not null)
            {
                if (c == quote) quote = null; else current.Append(c);
                continue;
            }
            if (c is '"' or '\'') { quote = c; started = true; continue; }
            if (char.IsWhiteSpace(c))
            {
                if (started) { tokens.Add(current.ToString()); current.Clear(); started = false; }
                continue;
            }
            if (!started && c == '#') break;
            if (!started && (c is '|' or '>' or '<' or ';' or '&')) break;
            current.Append(c);
            started = true;
        }
        if (started) tokens.Add(current.ToString());
        if (tokens.Any(t => t.StartsWith('[') || t.EndsWith(']') || t.Contains('…', StringComparison.Ordinal) || t == "..." || (t.Contains('|', StringComparison.Ordinal) && !t.Contains('=', StringComparison.Ordinal))))
            return null;
        return [.. tokens];
    }

    private static async Task<(int Exit, string Output)> RunAsync(string dll, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"dotnet run\b[^`\n]*?--project (?<project>src/Moderation\.(?:Cli|Worker|Review))\b[^`\n]*? -- (?<args>[^`\n]*)")]
    private static partial Regex CommandPattern();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();
}
