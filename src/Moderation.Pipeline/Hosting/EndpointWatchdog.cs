using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.ServiceDefaults.Startup;
using Moderation.Pipeline.Messaging;
using RabbitMQ.Client;

namespace Moderation.Pipeline.Hosting;

/// <summary>
/// Compares every receive endpoint with what should run. An endpoint that has no consumer while the broker is
/// reachable (MassTransit did not resume it after a broker restart, MassTransit issue 5692; or the broker reports
/// no consumer on the intake queue although MassTransit says it is consuming) for longer than
/// <see cref="WatchdogOptions.MaxNotConsuming"/> makes the worker stop with exit code 75: the stop returns what it
/// holds to the queue, and the supervisor (systemd, Kubernetes, compose <c>restart:</c>) starts a fresh process,
/// which consumes again. A broker outage does not count: a new process could not consume either.
/// </summary>
public sealed class EndpointWatchdog(
    ReceiveEndpointStates states,
    IOptions<WatchdogOptions> options,
    IOptions<BusOptions> bus,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<EndpointWatchdog> log) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _stuckSince = new(StringComparer.Ordinal);
    private IConnection? _brokerView;
    private DateTimeOffset _nextBrokerCheck;
    private bool _brokerDownLogged;
    private bool _brokerCountsNoConsumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
            return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        using var timer = new PeriodicTimer(o.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (await CheckAsync(o, stoppingToken) is { } verdict)
                {
                    log.LogCritical("{Verdict} Exiting with code {Code} so the supervisor starts a fresh worker; held posts are returned to the queue.", verdict, ExitCodes.RestartRequested);
                    Environment.ExitCode = ExitCodes.RestartRequested;
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_brokerView is not null)
                await _brokerView.DisposeAsync();
        }
    }

    /// <summary>Null while all is well; otherwise the one line that says why the worker gives up.</summary>
    private async Task<string?> CheckAsync(WatchdogOptions o, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rabbit = bus.Value.Transport == "RabbitMq";
        var intakeQueue = bus.Value.IntakeQueue;
        if (rabbit && now >= _nextBrokerCheck)
        {
            // MassTransit's own view can be wrong (it may believe it consumes); ask the broker every 10 s.
            _nextBrokerCheck = now + TimeSpan.FromSeconds(10);
            var intake = states.Current.First(s => s.Queue == intakeQueue);
            _brokerCountsNoConsumer = intake.Consuming && now - intake.Since > TimeSpan.FromSeconds(5)
                && await BrokerConsumerCountAsync(intakeQueue, ct) == 0;
        }

        bool? brokerReachable = null;
        foreach (var state in states.Current)
        {
            var brokerDisagrees = state.Queue == intakeQueue && state.Consuming && _brokerCountsNoConsumer;
            if (state.Consuming && !brokerDisagrees)
            {
                _stuckSince.Remove(state.Queue);
                continue;
            }
            var why = brokerDisagrees
                ? "MassTransit reports it consuming, but the broker counts no consumer on the queue"
                : $"{state.State} since {state.Since:HH:mm:ss}{(state.Reason is null ? "" : $" ({state.Reason})")}";
            brokerReachable ??= !rabbit || await BrokerReachableAsync(ct);
            if (brokerReachable == false)
            {
                // An outage: MassTransit reconnects by itself once the broker is back; the clock starts then.
                _stuckSince.Remove(state.Queue);
                continue;
            }
            if (!_stuckSince.TryGetValue(state.Queue, out var since))
            {
                _stuckSince[state.Queue] = now;
                log.LogWarning("Receive endpoint {Queue} is not consuming although the broker is reachable: {Why}.", state.Queue, why);
                continue;
            }
            if (now - since >= o.MaxNotConsuming)
                return $"Receive endpoint {state.Queue} has not been consuming for {(now - since).TotalSeconds:F0} s while the broker is reachable: {why}.";
        }
        return null;
    }

    private async Task<bool> BrokerReachableAsync(CancellationToken ct)
    {
        var b = bus.Value;
        try
        {
            await new RabbitMqProbe(b.Host, b.Port, b.VirtualHost, b.Username, b.Password).CheckAsync(ct);
            if (_brokerDownLogged)
                log.LogInformation("Broker {Host}:{Port} reachable again.", b.Host, b.Port);
            _brokerDownLogged = false;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!_brokerDownLogged)
                log.LogWarning("Broker {Host}:{Port} unreachable ({Reason}); waiting for it to come back.", b.Host, b.Port, DependencyProbeExtensions.Reason(ex));
            _brokerDownLogged = true;
            return false;
        }
    }

    /// <summary>The broker's own count of consumers on the queue (any worker's), or null if it cannot be asked now.</summary>
    private async Task<uint?> BrokerConsumerCountAsync(string queue, CancellationToken ct)
    {
        try
        {
            if (_brokerView is not { IsOpen: true })
            {
                if (_brokerView is not null)
                    await _brokerView.DisposeAsync();
                var b = bus.Value;
                _brokerView = await new ConnectionFactory
                {
                    HostName = b.Host, Port = b.Port, VirtualHost = b.VirtualHost, UserName = b.Username, Password = b.Password,
                    RequestedConnectionTimeout = TimeSpan.FromSeconds(3), AutomaticRecoveryEnabled = false, ClientProvidedName = "moderation-watchdog",
                }.CreateConnectionAsync(ct);
            }
            await using var channel = await _brokerView.CreateChannelAsync(cancellationToken: ct);
            var ok = await channel.QueueDeclarePassiveAsync(queue, ct);
            return ok.ConsumerCount;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}
