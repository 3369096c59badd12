using Microsoft.Extensions.Options;
using Moderation.Compliance;
using Moderation.Core.Events;
using Moderation.Review.Messaging;
using Moderation.Storage.Compliance;

namespace Moderation.Review.Compliance;

/// <summary>
/// One tick of the compliance clocks: overdue report cases, takedowns the platform never confirmed, incident
/// reminders and overdue incidents. Each escalation is claimed in the database together with its outbox row
/// (<see cref="IComplianceStore"/>), so any number of app instances ticking at once emit it once; this then
/// publishes what it claimed (the outbox sweeper retries a failed publish).
/// </summary>
public sealed class ComplianceClock(IComplianceStore store, ReviewOutbox outbox, IOptions<ComplianceOptions> options, TimeProvider time, ComplianceMetrics metrics)
{
    /// <summary>Returns the events this tick claimed (and published).</summary>
    public async Task<IReadOnlyList<OutgoingEvent>> TickAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var events = new List<OutgoingEvent>();
        events.AddRange(await store.EscalateOverdueCasesAsync(now, o.EscalationBatch, ct));
        events.AddRange(await store.EscalateStaleTakedownsAsync(now - o.TakedownFollowUp, now, o.EscalationBatch, ct));
        events.AddRange(await store.RunIncidentClocksAsync(now, o.IncidentReminderBefore, ct));
        await outbox.PublishCommittedAsync(events, ct);
        metrics.Emitted(events);
        return events;
    }
}

/// <summary>Runs <see cref="ComplianceClock"/> every Moderation:Compliance:ClockInterval (on the injected TimeProvider, so fake time drives it in tests).</summary>
public sealed class ComplianceClockService(ComplianceClock clock, IOptions<ComplianceOptions> options, TimeProvider time, ILogger<ComplianceClockService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunClocks)
            return;
        using var timer = new PeriodicTimer(options.Value.ClockInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var events = await clock.TickAsync(stoppingToken);
                if (events.Count > 0)
                    logger.LogWarning("Compliance clocks emitted {Count} escalation(s): {Types}.", events.Count, string.Join(", ", events.Select(e => e.Message.GetType().Name).Distinct()));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Compliance clock tick failed; retrying in {Interval}.", options.Value.ClockInterval);
            }
        }
    }
}
