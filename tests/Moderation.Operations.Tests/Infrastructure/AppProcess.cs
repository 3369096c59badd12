using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Moderation.Operations.Tests.Infrastructure;

/// <summary>The worker or the review app as its own OS process, as an operator runs it: exit codes, output, signals.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>tests/X/bin/&lt;Configuration&gt;/net10.0 → src/&lt;app&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;app&gt;.dll (built by the project references).</summary>
    public static string Dll(string app)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = bin.Parent!.Name;
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Moderation.sln")))
            root = root.Parent;
        var dll = Path.Combine(root!.FullName, "src", app, "bin", configuration, bin.Name, app + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    public static AppProcess Start(string app, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll(app));
        psi.Environment["Moderation__Logging__Format"] = "text";
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        return new AppProcess(Process.Start(psi)!);
    }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the process did not exit within {limit.TotalSeconds:F0} s. Output:\n{Output}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async Task TerminateAsync() =>
        await Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]).WaitForExitAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
