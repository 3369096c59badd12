using MassTransit;
using Moderation.Core.Posts;

namespace Moderation.Pipeline.Messaging;

/// <summary>
/// Runs <see cref="IntakeSchema"/> on the raw body of every plain-JSON post before it is moderated.
/// MassTransit's raw JSON deserialiser accepts a repeated key (in any letter case) and keeps the last
/// one, so without this a post with <c>"body":"出售冰毒","Body":"今天天气很好"</c> would be moderated as
/// the second body. <see cref="RejectReasonFilter"/> runs the same check, but only after deserialisation
/// failed, which a duplicate key never makes it do.
/// </summary>
public static class RawIntakeCheck
{
    /// <summary>Throws <see cref="PostRejectedException"/> with the schema's reason; envelopes from .NET publishers are MassTransit's own output.</summary>
    public static void ThrowIfMalformed(ReceiveContext receive)
    {
        var mediaType = receive.ContentType?.MediaType;
        if (mediaType is not null && mediaType.Contains("vnd.masstransit", StringComparison.Ordinal))
            return;
        var reason = IntakeSchema.Check(receive.Body.GetBytes());
        if (reason is not null)
            throw new PostRejectedException(reason);
    }
}
