using Npgsql;

namespace Moderation.Cli.Faults;

/// <summary>
/// A PostgreSQL cluster of our own (Debian's postgresql: initdb and pg_ctl, as the <c>postgres</c> user), on a
/// free loopback port with its data in a temporary directory, so it can be stopped and started without
/// touching any other cluster. Trust authentication on loopback only. As root it runs as the <c>postgres</c> user
/// (PostgreSQL refuses root); otherwise as the current user. Removed on dispose.
/// </summary>
internal sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    public int Port { get; }

    private ScratchPostgres(string dir, string bin, int port)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
    }

    private static string? User => Shell.IsRoot ? "postgres" : null;

    public static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;

    public static async Task<ScratchPostgres> StartAsync(CancellationToken ct)
    {
        var bin = FindBin() ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql), or pass --postgres with your own server.");
        var dir = Path.Combine(Path.GetTempPath(), $"moderation-faults-pg-{Guid.NewGuid():N}"[..34]);
        Directory.CreateDirectory(dir);
        if (Shell.IsRoot)
            await Shell.RunAsync("chown", ["postgres:postgres", dir], TimeSpan.FromSeconds(10), ct: ct);
        await Shell.RunAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            TimeSpan.FromSeconds(120), asUser: User, ct: ct);
        var pg = new ScratchPostgres(dir, bin, Shell.FreePort());
        await pg.StartServerAsync(ct);
        return pg;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Password = "postgres", Database = database }.ConnectionString;

    public Task StartServerAsync(CancellationToken ct) =>
        Shell.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"], TimeSpan.FromSeconds(90), asUser: User, ct: ct);

    public Task StopServerAsync(CancellationToken ct) =>
        Shell.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "-t", "60", "stop"], TimeSpan.FromSeconds(90), asUser: User, ct: ct);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopServerAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already stopped.
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
