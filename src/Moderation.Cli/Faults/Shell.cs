using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moderation.Cli.Faults;

/// <summary>Runs a program (or a <c>/bin/sh -c</c> line) to completion, with a time limit, and says what failed.</summary>
internal static class Shell
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null, string? asUser = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(asUser is null ? file : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(asUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add("env");
            foreach (var (k, v) in env ?? new Dictionary<string, string>())
                psi.ArgumentList.Add($"{k}={v}");
            psi.ArgumentList.Add(file);
        }
        else if (env is not null)
        {
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:F0} s");
        }
        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {output.ToString().Trim()}");
        return output.ToString();
    }

    /// <summary>An operator's own command line (e.g. "systemctl restart rabbitmq-server").</summary>
    public static Task<string> RunLineAsync(string line, TimeSpan timeout, CancellationToken ct = default) =>
        RunAsync("/bin/sh", ["-c", line], timeout, ct: ct);

    public static bool IsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>A TCP port on the loopback interface that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
}
