using Moderation.Storage;
using Npgsql;
using RabbitMQ.Client;

namespace Moderation.Cli.Faults;

/// <summary>
/// Where the run's broker and database are and how to stop and start them: our own scratch node and cluster by
/// default (killed freely, removed afterwards), or the operator's services with the operator's commands.
/// </summary>
internal sealed class FaultEnvironment : IAsyncDisposable
{
    private ScratchRabbitMq? _rabbit;
    private ScratchPostgres? _postgres;
    private ScratchDatabase? _database;

    public required string RabbitHost { get; init; }
    public required int RabbitPort { get; init; }
    public required string AdminConnectionString { get; init; }
    public required string Database { get; init; }
    public Func<CancellationToken, Task>? StopBroker { get; init; }
    public Func<CancellationToken, Task>? StartBroker { get; init; }
    public Func<CancellationToken, Task>? StopDatabase { get; init; }
    public Func<CancellationToken, Task>? StartDatabase { get; init; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Database, MaxPoolSize = 10 }.ConnectionString;

    public ConnectionFactory Broker(string name) => new()
    {
        HostName = RabbitHost, Port = RabbitPort, ClientProvidedName = name,
        AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
    };

    public static async Task<FaultEnvironment> CreateAsync(FaultRunOptions o, Action<string> say, CancellationToken ct)
    {
        ScratchRabbitMq? rabbit = null;
        ScratchPostgres? postgres = null;
        try
        {
            string host;
            int port;
            if (o.RabbitMq is null)
            {
                rabbit = await ScratchRabbitMq.StartAsync(ct);
                (host, port) = (rabbit.Host, rabbit.Port);
                say($"own RabbitMQ node on 127.0.0.1:{port}");
            }
            else
            {
                var parts = o.RabbitMq.Split(':');
                (host, port) = (parts[0], parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 5672);
            }
            string admin;
            if (o.Postgres is null)
            {
                postgres = await ScratchPostgres.StartAsync(ct);
                admin = postgres.ConnectionString("postgres");
                say($"own PostgreSQL cluster on 127.0.0.1:{postgres.Port}");
            }
            else
            {
                admin = o.Postgres;
            }

            // On the operator's server the run's database is dropped at the end; our own cluster goes away whole.
            var scratch = await ScratchDatabase.CreateAsync(admin, "moderation_faults", ct);
            scratch.Keep = postgres is not null;
            var database = scratch.Name;
            return new FaultEnvironment
            {
                _rabbit = rabbit,
                _postgres = postgres,
                _database = scratch,
                RabbitHost = host,
                RabbitPort = port,
                AdminConnectionString = admin,
                Database = database,
                StopBroker = rabbit is not null ? rabbit.StopNodeAsync : Line(o.BrokerStop),
                StartBroker = rabbit is not null ? rabbit.StartNodeAsync : Line(o.BrokerStart),
                StopDatabase = postgres is not null ? postgres.StopServerAsync : Line(o.DatabaseStop),
                StartDatabase = postgres is not null ? postgres.StartServerAsync : Line(o.DatabaseStart),
            };
        }
        catch
        {
            if (rabbit is not null) await rabbit.DisposeAsync();
            if (postgres is not null) await postgres.DisposeAsync();
            throw;
        }
    }

    private static Func<CancellationToken, Task>? Line(string? command) =>
        command is null ? null : ct => Shell.RunLineAsync(command, TimeSpan.FromMinutes(2), ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_database is not null) await _database.DisposeAsync();
        }
        catch (NpgsqlException)
        {
        }
        if (_rabbit is not null) await _rabbit.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
