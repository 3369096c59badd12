using MassTransit;
using MassTransit.Middleware;
using Moderation.Core.Posts;

namespace Moderation.Pipeline.Messaging;

/// <summary>
/// What every endpoint that platforms write to (in any language) shares: plain JSON in, retries for
/// transient faults only, and rejections moved to "{queue}_error" with a readable reason header.
/// </summary>
public static class PlainJsonEndpoint
{
    public static void Configure(IReceiveEndpointConfigurator endpoint, params int[] retryIntervalsMs)
    {
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpoint.ConfigureError(x =>
        {
            x.UseFilter(new RejectReasonFilter());
            x.UseFilter(new GenerateFaultFilter());
            x.UseFilter(new ErrorTransportFilter());
        });
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<PostRejectedException>();
            r.Ignore<System.Text.Json.JsonException>();
            r.Ignore<System.Runtime.Serialization.SerializationException>();
            r.Intervals(retryIntervalsMs);
        });
    }
}
