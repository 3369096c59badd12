using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Posts;
using Moderation.Pipeline.Resilience;

namespace Moderation.Pipeline.Messaging;

/// <summary>
/// Runs in the error pipe, just before a message is moved to "{queue}_error", and writes one specific,
/// publisher-readable sentence into the <see cref="Header"/> header (and MT-Fault-Message), and whose fault it
/// was into <see cref="WireHeaders.FaultKind"/>. When
/// MassTransit itself failed to deserialise a plain-JSON body, its message is serializer-internal
/// ("Cannot get the value of a token type 'Number' as a string"), so the body is re-checked with
/// <see cref="IntakeSchema"/> to name the field instead.
/// </summary>
public sealed class RejectReasonFilter(Observability.WorkerMetrics? metrics = null) : IFilter<ExceptionReceiveContext>
{
    public const string Header = WireHeaders.RejectReason;

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var reason = Reason(context);
        context.ExceptionHeaders.Set(Header, reason);
        context.ExceptionHeaders.Set("MT-Fault-Message", reason);
        // "post" or "unknown" (a bug): `moderation requeue-errors` moves only the latter back unless told otherwise.
        var kind = FaultKinds.Classify(context.Exception);
        context.ExceptionHeaders.Set(WireHeaders.FaultKind, kind.ToString().ToLowerInvariant());
        // Here, not in the consumer: a body that cannot be read as a post never reaches the consumer.
        metrics?.Rejected(kind);
        return next.Send(context);
    }

    private static string Reason(ExceptionReceiveContext context)
    {
        var rejected = FindRejection(context.Exception);
        if (rejected is not null)
            return rejected.Reason;
        var mediaType = context.ContentType?.MediaType;
        if (mediaType is null || !mediaType.Contains("vnd.masstransit", StringComparison.Ordinal))
        {
            var schemaReason = IntakeSchema.Check(context.Body.GetBytes());
            if (schemaReason is not null)
                return schemaReason;
        }
        return context.Exception.GetBaseException().Message;
    }

    private static PostRejectedException? FindRejection(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostRejectedException r)
                return r;
            if (ex is AggregateException { InnerExceptions.Count: 1 } agg)
                return FindRejection(agg.InnerExceptions[0]);
        }
        return null;
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("rejectReason");
}
