using RabbitMQ.Client;

namespace Moderation.ServiceDefaults.Startup;

/// <summary>Opens (and closes) an AMQP connection with the same credentials the bus uses.</summary>
public sealed class RabbitMqProbe(string host, int port, string virtualHost, string username, string password, string setting = "Moderation:Bus:Host") : IDependencyProbe
{
    public string Name => "RabbitMQ";
    public string Location => $"{host}:{port}{(virtualHost == "/" ? "" : "/" + virtualHost)}";
    public string Setting => setting;

    public async Task CheckAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            HostName = host,
            Port = port,
            VirtualHost = virtualHost,
            UserName = username,
            Password = password,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "moderation-probe",
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await connection.CloseAsync(ct);
    }
}
