using System.Text.Json;
using Moderation.Contracts;
using Moderation.Core.Events;

namespace Moderation.Storage.Review;

/// <summary>An event waiting in the review outbox, as stored: its message id, its contract type's name and its JSON.</summary>
public sealed record OutboxMessage(Guid MessageId, string MessageType, string Payload)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The events a moderator's decision or the compliance desk can emit; anything else in the table is left for an operator.</summary>
    private static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(TakedownRequested), typeof(RecordPreservationRequested), typeof(ContentReleased),
        // The compliance desk's clocks (IComplianceStore) stage theirs in the same outbox.
        typeof(ReportCaseOverdue), typeof(TakedownOverdue), typeof(MajorIncidentDeclared), typeof(MajorIncidentReportDue), typeof(MajorIncidentOverdue),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    internal static OutboxMessage From(OutgoingEvent e) =>
        new(e.MessageId, e.Message.GetType().Name, JsonSerializer.Serialize(e.Message, e.Message.GetType(), Json));

    /// <summary>The event back, with its original message id; null for an unknown type.</summary>
    public OutgoingEvent? ToEvent() =>
        Types.TryGetValue(MessageType, out var type) ? new OutgoingEvent(MessageId, JsonSerializer.Deserialize(Payload, type, Json)!) : null;
}
