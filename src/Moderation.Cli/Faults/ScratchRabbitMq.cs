using RabbitMQ.Client;

namespace Moderation.Cli.Faults;

/// <summary>
/// A RabbitMQ node of our own (Debian's rabbitmq-server), on free loopback ports, with its data in a temporary
/// directory, so that it can be stopped and restarted freely without touching any other broker on the machine.
/// As root it runs as the <c>rabbitmq</c> user (with that user's Erlang cookie); otherwise as the current user,
/// with a home (and cookie) inside the temporary directory. Removed on dispose.
/// </summary>
internal sealed class ScratchRabbitMq : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin";
    private readonly string _dir;
    private readonly string _node;
    private readonly Dictionary<string, string> _env;

    public int Port { get; }
    public string Host => "127.0.0.1";

    private ScratchRabbitMq(string dir, int port, int distPort)
    {
        _dir = dir;
        Port = port;
        _node = $"moderation-faults-{port}@localhost";
        _env = new()
        {
            ["HOME"] = Shell.IsRoot ? "/var/lib/rabbitmq" : dir,
            ["RABBITMQ_NODENAME"] = _node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dir, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(dir, "rabbitmq"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(dir, "pid"),
            // Erlang distribution on loopback only.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
    }

    private static string? User => Shell.IsRoot ? "rabbitmq" : null;

    public static bool IsInstalled => File.Exists(Path.Combine(Bin, "rabbitmq-server"));

    public static async Task<ScratchRabbitMq> StartAsync(CancellationToken ct)
    {
        if (!IsInstalled)
            throw new InvalidOperationException("rabbitmq-server is not installed (apt-get install rabbitmq-server), or pass --rabbitmq with your own broker.");
        var dir = Path.Combine(Path.GetTempPath(), $"moderation-faults-rabbitmq-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].", ct);
        if (Shell.IsRoot)
            await Shell.RunAsync("chown", ["-R", "rabbitmq:rabbitmq", dir], TimeSpan.FromSeconds(10), ct: ct);
        var node = new ScratchRabbitMq(dir, Shell.FreePort(), Shell.FreePort());
        await node.StartNodeAsync(ct);
        return node;
    }

    public async Task StartNodeAsync(CancellationToken ct)
    {
        await Shell.RunAsync(Path.Combine(Bin, "rabbitmq-server"), ["-detached"], TimeSpan.FromSeconds(30), _env, User, ct);
        await Shell.RunAsync(Path.Combine(Bin, "rabbitmqctl"), ["-n", _node, "wait", "--timeout", "180", _env["RABBITMQ_PID_FILE"]], TimeSpan.FromSeconds(190), _env, User, ct);
    }

    public async Task StopNodeAsync(CancellationToken ct) =>
        await Shell.RunAsync(Path.Combine(Bin, "rabbitmqctl"), ["-n", _node, "stop", _env["RABBITMQ_PID_FILE"]], TimeSpan.FromSeconds(180), _env, User, ct);

    public ConnectionFactory Factory(string name) => new()
    {
        HostName = Host,
        Port = Port,
        ClientProvidedName = name,
        AutomaticRecoveryEnabled = false,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopNodeAsync(CancellationToken.None);
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
