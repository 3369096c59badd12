using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Core.Decisions;
using Moderation.Core.Policy;
using Moderation.ServiceDefaults.Startup;
using Moderation.Storage;
using Moderation.Pipeline.Health;
using Moderation.Pipeline.Messaging;
using Moderation.Pipeline.Observability;

namespace Moderation.Pipeline.Hosting;

/// <summary>What the worker needs before it takes a post: its store and broker answer, the schema is current, the lexicon and model are loaded.</summary>
public static class WorkerStartup
{
    public static IServiceCollection AddWorkerStartup(this IServiceCollection services)
    {
        services.AddStartupSequence();
        services.AddDependencyProbe(sp => StorageProbe.For(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddDependencyProbe(sp => sp.GetRequiredService<IOptions<BusOptions>>().Value is { Transport: "RabbitMq" } b
            ? new RabbitMqProbe(b.Host, b.Port, b.VirtualHost, b.Username, b.Password)
            : new NoProbe());
        services.AddStartupStep("Database schema", (sp, ct) => EnsureSchemaAsync(sp.GetRequiredService<IOptions<StorageOptions>>().Value, ct));
        services.AddStartupStep("Lexicon and model", (sp, _) => LoadClassifiers(sp));
        return services;
    }

    /// <summary>
    /// Applies pending migrations (MigrateOnStart) or, for rolling deployments that migrate first, waits until
    /// someone has: a worker never consumes against a schema it does not know.
    /// </summary>
    private static Task EnsureSchemaAsync(StorageOptions o, CancellationToken ct)
    {
        var cs = o.Provider == "Postgres" ? o.ConnectionString! : o.ConnectionString ?? StorageOptions.DefaultSqlite;
        try
        {
            if (o.MigrateOnStart)
            {
                // As the schema's owner when a migration connection is configured (least privilege: the worker's own role owns nothing).
                if (o.Provider == "Postgres") DatabaseMigrator.ApplyPostgres(o.MigrationConnection!); else DatabaseMigrator.ApplySqlite(cs);
                return Task.CompletedTask;
            }
            var pending = o.Provider == "Postgres" ? DatabaseMigrator.PendingPostgres(cs) : DatabaseMigrator.PendingSqlite(cs);
            if (pending.Count > 0)
                throw new DependencyNotReadyException(
                    $"the database lacks {pending.Count} migration(s) ({string.Join(", ", pending)}) and Moderation:Storage:MigrateOnStart is false; run `Moderation.Worker migrate`");
            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is not DependencyNotReadyException && Resilience.FaultKinds.Classify(ex) == Resilience.FaultKind.Infrastructure)
        {
            throw new DependencyNotReadyException(DependencyProbeExtensions.Reason(ex));
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Database migration failed", StringComparison.Ordinal))
        {
            throw new StartupFailedException(ex.Message, ExitCodes.StartupStepFailed, ex);
        }
    }

    /// <summary>Compiles the lexicon and loads the model now, so a broken one stops the start with its reason and the first post is not slow.</summary>
    private static Task LoadClassifiers(IServiceProvider sp)
    {
        try
        {
            sp.GetRequiredService<ModerationEngine>();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new StartupFailedException($"The lexicon or the model could not be loaded: {ex.Message}", ExitCodes.ConfigurationInvalid, ex);
        }
        var policy = sp.GetRequiredService<IOptionsMonitor<PolicyOptions>>();
        sp.GetRequiredService<WorkerMetrics>().ObserveVersions(() =>
        {
            var (lexicon, model) = ClassifiersHealthCheck.CurrentVersions(sp);
            return (lexicon, model, policy.CurrentValue.Version);
        });
        return Task.CompletedTask;
    }

    /// <summary>The in-memory transport lives in this process: nothing to wait for.</summary>
    private sealed class NoProbe : IDependencyProbe
    {
        public string Name => "in-memory bus";
        public string Location => "this process";
        public string Setting => "Moderation:Bus:Transport";
        public Task CheckAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
