using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moderation.ServiceDefaults.Health;
using Moderation.ServiceDefaults.Startup;
using Moderation.Storage;
using Npgsql;

namespace Moderation.Review.Operations;

public static class ReviewOperations
{
    /// <summary>
    /// What the review app needs to start and to say it is ready: its store (PostgreSQL, or the SQLite file) and,
    /// when it is the transport, RabbitMQ waited for at start; migrations as a start-up step; readiness checks over
    /// the same probes; and the queue metrics.
    /// </summary>
    public static IServiceCollection AddReviewOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStartupSequence();
        services.AddDependencyProbe(DatabaseProbe);
        var health = services.AddModerationHealthChecks().AddDependencyCheck("database", DatabaseProbe);
        if (configuration.GetSection(TransportOptions.Section).Get<TransportOptions>() is { Transport: TransportNames.RabbitMq })
        {
            services.AddDependencyProbe(BrokerProbe);
            // The review bus only publishes, so MassTransit's own check stays healthy while the broker is down: ask the broker.
            health.AddDependencyCheck("broker", BrokerProbe);
        }
        services.AddStartupStep("Database schema", (sp, _) => MigrateAsync(sp));

        services.AddSingleton<ReviewMetrics>();
        services.AddHostedService<ReviewQueueMonitor>();
        return services;
    }

    private static IDependencyProbe DatabaseProbe(IServiceProvider sp)
    {
        var storage = Storage(sp);
        // The review app's own MigrateOnStart decides whether a missing PostgreSQL database may still be created.
        return StorageProbe.For(new StorageOptions
        {
            Provider = storage.Provider,
            ConnectionString = storage.ConnectionString,
            MigrateOnStart = sp.GetRequiredService<IOptions<ReviewOptions>>().Value.MigrateOnStart,
        });
    }

    private static StorageOptions Storage(IServiceProvider sp) => sp.GetRequiredService<IOptions<StorageOptions>>().Value;

    private static IDependencyProbe BrokerProbe(IServiceProvider sp)
    {
        var b = sp.GetRequiredService<IOptions<TransportOptions>>().Value;
        return new RabbitMqProbe(b.Host, b.Port, b.VirtualHost, b.Username, b.Password);
    }

    private static Task MigrateAsync(IServiceProvider sp)
    {
        if (!sp.GetRequiredService<IOptions<ReviewOptions>>().Value.MigrateOnStart)
            return Task.CompletedTask;
        try
        {
            DatabaseMigrator.Apply(Storage(sp));
            return Task.CompletedTask;
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            throw new DependencyNotReadyException(DependencyProbeExtensions.Reason(ex));
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Database migration failed", StringComparison.Ordinal))
        {
            throw new StartupFailedException(ex.Message, ExitCodes.StartupStepFailed, ex);
        }
    }

    /// <summary>The server is unreachable, restarting or refusing connections, or the file is locked: wait for it rather than fail.</summary>
    private static bool IsOutage(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
                return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal);
            if (e is SqliteException { SqliteErrorCode: 5 or 6 }) // SQLITE_BUSY, SQLITE_LOCKED
                return true;
            if (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
                return true;
        }
        return false;
    }
}
