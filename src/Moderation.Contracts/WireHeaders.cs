namespace Moderation.Contracts;

/// <summary>AMQP headers the worker writes or reads, for tools in any language that handle its error queues.</summary>
public static class WireHeaders
{
    /// <summary>On a message moved to "{queue}_error": one sentence saying why (also in MT-Fault-Message).</summary>
    public const string RejectReason = "Moderation-Reject-Reason";

    /// <summary>On a message moved to "{queue}_error": whose fault it was, "post" (bad input) or "unknown" (a bug; requeue it once fixed).</summary>
    public const string FaultKind = "Moderation-Fault-Kind";

    /// <summary>Set by `moderation requeue-errors`: how many times the message was moved back from the error queue.</summary>
    public const string RequeueCount = "Moderation-Requeue-Count";
}
