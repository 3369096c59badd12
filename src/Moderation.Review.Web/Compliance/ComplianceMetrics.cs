using System.Diagnostics.Metrics;
using Moderation.Core.Events;

namespace Moderation.Review.Compliance;

/// <summary>The compliance desk's meter ("Moderation.Compliance"): escalations emitted by the clocks, by event type.</summary>
public sealed class ComplianceMetrics
{
    public const string MeterName = "Moderation.Compliance";
    private readonly Counter<long> _escalations;

    public ComplianceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _escalations = meter.CreateCounter<long>("moderation.compliance.escalations",
            description: "Escalations and reminders the compliance clocks emitted (each claimed once across instances), by event type.");
    }

    public void Emitted(IEnumerable<OutgoingEvent> events)
    {
        foreach (var e in events)
            _escalations.Add(1, new KeyValuePair<string, object?>("type", e.Message.GetType().Name));
    }
}
