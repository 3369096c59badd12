using Moderation.Cli.Faults;
using Npgsql;
using RabbitMQ.Client;

namespace Moderation.Operations.Tests.Infrastructure;

/// <summary>
/// One RabbitMQ node and one PostgreSQL cluster for every test in the collection (the same classes the `faults`
/// command uses), so tests can stop and restart them without disturbing anything else on the machine.
/// </summary>
public sealed class ScratchServices : IAsyncLifetime
{
    internal ScratchRabbitMq Rabbit { get; private set; } = null!;
    internal ScratchPostgres Postgres { get; private set; } = null!;

    public int RabbitPort => Rabbit.Port;

    public async Task InitializeAsync()
    {
        var rabbit = ScratchRabbitMq.StartAsync(CancellationToken.None);
        var postgres = ScratchPostgres.StartAsync(CancellationToken.None);
        Rabbit = await rabbit;
        Postgres = await postgres;
    }

    public async Task DisposeAsync()
    {
        if (Rabbit is not null) await Rabbit.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }

    public ConnectionFactory Broker() => Rabbit.Factory("operations-tests");

    public Task StopBrokerAsync() => Rabbit.StopNodeAsync(CancellationToken.None);
    public Task StartBrokerAsync() => Rabbit.StartNodeAsync(CancellationToken.None);
    public Task StopDatabaseAsync() => Postgres.StopServerAsync(CancellationToken.None);
    public Task StartDatabaseAsync() => Postgres.StartServerAsync(CancellationToken.None);

    /// <summary>A fresh database on the cluster; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
        // No pooling: the cluster is stopped and started by the tests, which leaves pooled connections dead.
        await using var conn = new NpgsqlConnection(Postgres.ConnectionString("postgres") + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return Postgres.ConnectionString(name);
    }

    /// <summary>Messages waiting in a queue (0 when it does not exist yet).</summary>
    public async Task<uint> DepthAsync(string queue)
    {
        try
        {
            await using var connection = await Broker().CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ScratchCollection : ICollectionFixture<ScratchServices>
{
    public const string Name = "own broker and database";
}
