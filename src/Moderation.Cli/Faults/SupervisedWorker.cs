using System.Diagnostics;
using System.Globalization;

namespace Moderation.Cli.Faults;

/// <summary>
/// One worker as a separate OS process (<c>dotnet Moderation.Worker.dll</c>, production settings), under a
/// supervisor as systemd or Kubernetes would run it: whenever it exits (kill -9, the watchdog's code 75, a
/// start-up that gave up) it is started again after a second. Its log goes to a file.
/// </summary>
internal sealed class SupervisedWorker : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly string _log;
    private readonly Action<string> _say;
    private readonly Lock _lock = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;
    private Task? _supervision;
    private bool _stopping;

    public SupervisedWorker(int number, string dll, IReadOnlyDictionary<string, string> env, string logDirectory, Action<string> say)
    {
        Number = number;
        _dll = dll;
        HealthPort = Shell.FreePort();
        _env = new Dictionary<string, string>(env) { ["Moderation__Health__Urls"] = $"http://127.0.0.1:{HealthPort}" };
        _log = Path.Combine(logDirectory, $"worker-{number}.log");
        _say = say;
    }

    public int Number { get; }
    public int HealthPort { get; }
    public string LogPath => _log;

    /// <summary>Exit codes of every exit the supervisor saw (kills show as 137).</summary>
    public List<int> Exits { get; } = [];

    public void Start()
    {
        lock (_lock)
        {
            _stopping = false;
            _process = Launch();
            _supervision = SuperviseAsync();
        }
    }

    private Process Launch()
    {
        // exec: the shell becomes the worker, so the pid we hold is the worker's own (kill -9 hits it).
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec dotnet \"{_dll}\" >> \"{_log}\" 2>&1");
        foreach (var (k, v) in _env)
            psi.Environment[k] = v;
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the worker");
    }

    private async Task SuperviseAsync()
    {
        while (true)
        {
            Process p;
            lock (_lock)
                p = _process!;
            await p.WaitForExitAsync();
            lock (_lock)
            {
                Exits.Add(p.ExitCode);
                if (_stopping)
                    return;
            }
            _say($"worker {Number} exited with code {p.ExitCode}; the supervisor starts it again in 1 s");
            await Task.Delay(TimeSpan.FromSeconds(1));
            lock (_lock)
            {
                if (_stopping)
                    return;
                _process = Launch();
            }
        }
    }

    /// <summary>kill -9: no chance to return or acknowledge anything.</summary>
    public void KillHard()
    {
        lock (_lock)
            _process?.Kill(entireProcessTree: false);
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}/health/ready"), ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!await IsReadyAsync(ct))
        {
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"worker {Number} was not ready within {timeout.TotalSeconds:F0} s (log: {_log})");
            await Task.Delay(250, ct);
        }
    }

    /// <summary>SIGTERM, as a supervisor stops it; returns the exit code and how long the stop took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(TimeSpan timeout)
    {
        Process? p;
        Task? supervision;
        lock (_lock)
        {
            _stopping = true;
            p = _process;
            supervision = _supervision;
        }
        if (p is null || p.HasExited)
            return (p?.ExitCode ?? 0, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        await Shell.RunAsync("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            await p.WaitForExitAsync();
            if (supervision is not null) await supervision;
            return (-1, clock.Elapsed);
        }
        if (supervision is not null) await supervision;
        return (p.ExitCode, clock.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        Process? p;
        lock (_lock)
        {
            _stopping = true;
            p = _process;
        }
        if (p is { HasExited: false })
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        p?.Dispose();
        _http.Dispose();
    }
}
