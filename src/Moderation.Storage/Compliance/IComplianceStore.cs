using Moderation.Core.Events;

namespace Moderation.Storage.Compliance;

/// <summary>
/// The compliance desk's data: report cases and their clocks, incidents, takedown follow-up. Every escalation is
/// claimed with a conditional UPDATE (…WHERE escalated_at IS NULL) in the same transaction that stages its event
/// in the review outbox, so however many app instances run the clock, each case, takedown or incident emits its
/// escalation once. The caller publishes the returned events right after (the outbox sweeper retries).
/// </summary>
public interface IComplianceStore
{
    /// <summary>Report cases, soonest due first; <paramref name="state"/> one of <see cref="ClockStates"/> or null for all.</summary>
    Task<IReadOnlyList<ReportCaseRow>> ListCasesAsync(string? platform, string? state, int limit, CancellationToken ct);

    Task<ReportCaseDetail?> GetCaseAsync(Guid caseId, CancellationToken ct);

    /// <summary>open → reported. Conflict when it was reported or closed already.</summary>
    Task<ClockResult> MarkCaseReportedAsync(Guid caseId, string by, string authority, string reference, DateTimeOffset at, CancellationToken ct);

    /// <summary>reported → closed. Conflict when it is not reported yet, or closed already.</summary>
    Task<ClockResult> CloseCaseAsync(Guid caseId, string by, DateTimeOffset at, CancellationToken ct);

    /// <summary>Claims open cases due at or before <paramref name="now"/> and not yet escalated; stages one <c>ReportCaseOverdue</c> each.</summary>
    Task<IReadOnlyList<OutgoingEvent>> EscalateOverdueCasesAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Claims takedowns requested at or before <paramref name="requestedBefore"/>, not completed, not escalated; stages one <c>TakedownOverdue</c> each.</summary>
    Task<IReadOnlyList<OutgoingEvent>> EscalateStaleTakedownsAsync(DateTimeOffset requestedBefore, DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>Records the platform's confirmation (as <see cref="IModerationStore.CompleteTakedownAsync"/>) and says how long each newly completed takedown took.</summary>
    Task<TakedownCompletion> CompleteTakedownAsync(string platform, string contentId, long? version, Guid? takedownId, DateTimeOffset completedAt, CancellationToken ct);

    /// <summary>Clause 6: records the incident, freezes (legal hold) every record in its scope, lists them, and stages <c>MajorIncidentDeclared</c>.</summary>
    Task<(IncidentRow Incident, IReadOnlyList<OutgoingEvent> Events)> DeclareIncidentAsync(IncidentDeclaration declaration, CancellationToken ct);

    Task<IReadOnlyList<IncidentRow>> ListIncidentsAsync(int limit, CancellationToken ct);

    Task<IncidentDetail?> GetIncidentAsync(Guid incidentId, int recordLimit, CancellationToken ct);

    Task<ClockResult> MarkIncidentReportedAsync(Guid incidentId, string by, string authority, string reference, DateTimeOffset at, CancellationToken ct);

    /// <summary>Claims the reminder (due within <paramref name="remindBefore"/>) and the overdue escalation of open incidents, once each.</summary>
    Task<IReadOnlyList<OutgoingEvent>> RunIncidentClocksAsync(DateTimeOffset now, TimeSpan remindBefore, CancellationToken ct);
}
