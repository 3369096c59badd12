using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.ServiceDefaults.Startup;
using Moderation.Pipeline.Consumers;

namespace Moderation.Pipeline.Messaging;

public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ or in memory, by configuration. <paramref name="extra"/> lets a host
    /// (the demo, a test) add its own consumers to the same bus.
    /// </summary>
    public static IServiceCollection AddModerationBus(this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator>? extra = null)
    {
        var section = configuration.GetSection(BusOptions.Section);
        services.AddOptions<BusOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusOptions>, BusOptionsValidator>();
        var options = section.Get<BusOptions>() ?? new BusOptions();

        // A stop (SIGTERM, the watchdog) must end: consumers get ConsumerStopTimeout to finish, then their
        // token is cancelled and what they hold goes back to the queue; the whole bus stop fits in the shutdown timeout.
        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<StartupOptions>>((mt, startup) =>
        {
            var stop = startup.Value.ShutdownTimeout - TimeSpan.FromSeconds(5);
            mt.StopTimeout = stop;
            mt.ConsumerStopTimeout = stop < TimeSpan.FromSeconds(20) ? stop / 2 : TimeSpan.FromSeconds(10);
            mt.WaitUntilStarted = true;
            mt.StartTimeout = startup.Value.DependencyTimeout;
        });

        services.AddMassTransit(x =>
        {
            x.AddConsumer<ContentPublishedConsumer, ContentPublishedConsumerDefinition>();
            x.AddConsumer<TakedownCompletedConsumer, TakedownCompletedConsumerDefinition>();
            extra?.Invoke(x);
            x.SetKebabCaseEndpointNameFormatter();

            if (options.Transport == "RabbitMq")
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.Host, options.Port, options.VirtualHost, h =>
                    {
                        h.Username(options.Username);
                        h.Password(options.Password);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return services;
    }
}
