using Moderation.Contracts;
using Moderation.Core.Decisions;

namespace Moderation.Core.Events;

/// <summary>
/// Where the compliance desk's events are shaped (beside <see cref="DecisionEvents"/>): report-case and takedown
/// escalations, incident declaration, reminder and overdue. Message ids derive from the case, takedown or incident
/// id and the event type, so a re-publish from the outbox is recognisably the same message.
/// </summary>
public static class ComplianceEvents
{
    public static OutgoingEvent CaseOverdue(Guid caseId, Guid decisionId, string platform, string contentId, long version,
        IReadOnlyList<int> categories, DateTimeOffset openedAt, DateTimeOffset dueAt, DateTimeOffset now) =>
        new(DeterministicIds.For(caseId, nameof(ReportCaseOverdue)), new ReportCaseOverdue
        {
            CaseId = caseId, DecisionId = decisionId, Platform = platform, ContentId = contentId, Version = version,
            Categories = categories, OpenedAt = openedAt, DueAt = dueAt, DetectedAt = now,
        });

    public static OutgoingEvent TakedownOverdue(Guid takedownId, Guid decisionId, string platform, string contentId, long version,
        string requestedBy, DateTimeOffset requestedAt, DateTimeOffset now) =>
        new(DeterministicIds.For(takedownId, nameof(Contracts.TakedownOverdue)), new TakedownOverdue
        {
            TakedownId = takedownId, DecisionId = decisionId, Platform = platform, ContentId = contentId, Version = version,
            RequestedBy = requestedBy, RequestedAt = requestedAt, DetectedAt = now,
        });

    public static OutgoingEvent IncidentDeclared(MajorIncidentDeclared declared) =>
        new(DeterministicIds.For(declared.IncidentId, nameof(MajorIncidentDeclared)), declared);

    public static OutgoingEvent IncidentReminder(Guid incidentId, string platform, DateTimeOffset dueAt, DateTimeOffset now) =>
        new(DeterministicIds.For(incidentId, nameof(MajorIncidentReportDue)), new MajorIncidentReportDue
        {
            IncidentId = incidentId, Platform = platform, DueAt = dueAt, RemindedAt = now,
        });

    public static OutgoingEvent IncidentOverdue(Guid incidentId, string platform, DateTimeOffset dueAt, DateTimeOffset now) =>
        new(DeterministicIds.For(incidentId, nameof(MajorIncidentOverdue)), new MajorIncidentOverdue
        {
            IncidentId = incidentId, Platform = platform, DueAt = dueAt, DetectedAt = now,
        });
}
