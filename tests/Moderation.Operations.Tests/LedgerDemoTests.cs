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

    [Fact]
    public async Task A_lawful_request_goes_register_approve_export_and_verifies_offline_with_the_documented_command()
    {
        var db = Path.Combine(_dir, "requests.db");
        var demo = await RunAsync("dotnet", AppProcess.Dll("Moderation.Worker"), "demo", "--database", db);
        Assert.True(demo.Exit == 0, demo.Output);
        string[] conn = ["--provider", "Sqlite", "--connection", $"Data Source={db}"];
        var key = Path.Combine(_dir, "ledger.pem");
        Assert.Equal(0, (await RunAsync("dotnet", Cli(), "records", "keygen", "--out", key)).Exit);
        // Seal today's chain first, so the export's proof ends at a signed root.
        var seal = await RunAsync("dotnet", [Cli(), "records", "seal", .. conn, "--day", DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--private-key", key]);
        Assert.True(seal.Exit == 0, seal.Output);

        var register = await RunAsync("dotnet", [Cli(), "records", "requests", "register", .. conn, "--as", "alice", "--authority", "某市公安局网安支队",
            "--document", "公网调〔2026〕17号", "--basis", "网络安全法第二十八条", "--platform", "forum-demo"]);
        Assert.True(register.Exit == 0, register.Output);
        var id = register.Output.Trim();
        var self = await RunAsync("dotnet", [Cli(), "records", "requests", "approve", id, .. conn, "--as", "alice", "--reason", "mine"]);
        Assert.True(self.Exit == 4, self.Output);
        var approve = await RunAsync("dotnet", [Cli(), "records", "requests", "approve", id, .. conn, "--as", "bob", "--reason", "document checked"]);
        Assert.True(approve.Exit == 0, approve.Output);
        var export = Path.Combine(_dir, "export");
        var run = await RunAsync("dotnet", [Cli(), "records", "requests", "export", id, .. conn, "--as", "bob", "--private-key", key, "--out", export]);
        Assert.True(run.Exit == 0, run.Output);

        var verify = await RunAsync("dotnet", Cli(), "records", "verify-export", export, "--public-key", key + ".pub.pem");
        Assert.True(verify.Exit == 0, verify.Output);
        Assert.Contains("11 record(s); 0 problem(s); the export is intact", verify.Output, StringComparison.Ordinal);

        // Another key (someone else's) does not verify it.
        var other = Path.Combine(_dir, "other.pem");
        Assert.Equal(0, (await RunAsync("dotnet", Cli(), "records", "keygen", "--out", other)).Exit);
        var forged = await RunAsync("dotnet", Cli(), "records", "verify-export", export, "--public-key", other + ".pub.pem");
        Assert.True(forged.Exit == 2, forged.Output);
    }
}
