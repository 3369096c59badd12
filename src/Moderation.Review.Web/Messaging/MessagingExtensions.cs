using MassTransit;
using Microsoft.Extensions.Options;

namespace Moderation.Review.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The review app only publishes (TakedownRequested, RecordPreservationRequested, ContentReleased), so the bus
    /// has no endpoints of its own. Same keys as the worker: Moderation:Bus:Transport = InMemory | RabbitMq, Moderation:Bus:Host/Port/VirtualHost/Username/Password.
    /// </summary>
    public static WebApplicationBuilder AddReviewMessaging(this WebApplicationBuilder builder)
    {
        var transport = builder.Configuration.GetSection(TransportOptions.Section).Get<TransportOptions>() ?? new TransportOptions();
        builder.Services.AddMassTransit(x =>
        {
            if (transport.Transport == TransportNames.RabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = context.GetRequiredService<IOptions<TransportOptions>>().Value;
                    cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        builder.Services.AddSingleton<ReviewOutbox>();
        builder.Services.AddHostedService<OutboxSweeper>();
        return builder;
    }
}
