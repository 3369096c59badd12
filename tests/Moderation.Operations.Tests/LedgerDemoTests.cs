using System.Diagnostics;
using Moderation.Operations.Tests.Infrastructure;

namespace Moderation.Operations.Tests;

/// <summary>
/// Issue 10's first done-when, as an operator runs it: `demo --database FILE` keeps its SQLite database, `records verify`
/// on it exits 0, and after one byte of one record's body is changed with the sqlite3 shell it exits non-zero and names
/// that record.
/// </summary>
public sealed class LedgerDemoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The CLI's entry assembly is named `moderation`, beside the worker's build output layout.</summary>
    private static string Cli()
    {
        var worker = AppProcess.Dll("Moderation.Worker");
        var bin = Path.GetDirectoryName(worker)!;
        var src = Path.GetFullPath(Path.Combine(bin, "..", "..", "..", ".."));
        var cli = Path.Combine(src, "Moderation.Cli", "bin", new DirectoryInfo(bin).Parent!.Name, new DirectoryInfo(bin).Name, "moderation.dll");
        Assert.True(File.Exists(cli), $"{cli} is not built");
        return cli;
    }

    [Fact]
    public async Task The_demo_database_verifies_and_a_byte_changed_with_sqlite3_is_named()
    {
        var db = Path.Combine(_dir, "demo.db");
        var demo = await RunAsync("dotnet", AppProcess.Dll("Moderation.Worker"), "demo", "--database", db);
        Assert.True(demo.Exit == 0, demo.Output);
        Assert.True(File.Exists(db), demo.Output);
        Assert.Contains("signing key is ephemeral", demo.Output, StringComparison.Ordinal);

        var verify = await RunAsync("dotnet", Cli(), "records", "verify", "--provider", "Sqlite", "--connection", $"Data Source={db}");
        Assert.True(verify.Exit == 0, verify.Output);
        Assert.Contains("0 problem(s)", verify.Output, StringComparison.Ordinal);

        // One byte: the first character of p-1002's body ("Great write-up ...", ASCII) becomes another letter.
        var edit = await RunAsync("sqlite3", db, "UPDATE post_records SET body = 'H' || substr(body, 2) WHERE content_id = 'p-1002';");
        Assert.True(edit.Exit == 0, edit.Output);

        var tampered = await RunAsync("dotnet", Cli(), "records", "verify", "--provider", "Sqlite", "--connection", $"Data Source={db}");
        Assert.True(tampered.Exit != 0, tampered.Output);
        Assert.Contains("ALTERED record forum-demo/p-1002 v1", tampered.Output, StringComparison.Ordinal);
        Assert.Contains("1 problem(s)", tampered.Output, StringComparison.Ordinal);
    }
}
