using Moderation.Core.Events;

namespace Moderation.Storage.Compliance;

/// <summary>Where a report case or an incident stands: open → reported (to an authority) → closed.</summary>
public static class ClockStates
{
    public const string Open = "open";
    public const string Reported = "reported";
    public const string Closed = "closed";

    public static IReadOnlyList<string> All { get; } = [Open, Reported, Closed];

    public static string Of(DateTimeOffset? reportedAt, DateTimeOffset? closedAt) =>
        closedAt is not null ? Closed : reportedAt is not null ? Reported : Open;
}

/// <summary>One regulator report case (clause 3) with its clock.</summary>
public sealed record ReportCaseRow(
    Guid CaseId, Guid DecisionId, string Platform, string ContentId, long Version, IReadOnlyList<int> Categories,
    DateTimeOffset OpenedAt, DateTimeOffset DueAt, DateTimeOffset? ReportedAt, string? ReportedBy, string? Authority,
    string? AuthorityReference, DateTimeOffset? ClosedAt, string? ClosedBy, DateTimeOffset? EscalatedAt)
{
    public string State => ClockStates.Of(ReportedAt, ClosedAt);

    /// <summary>Past due with no report recorded (a reported or closed case is never overdue).</summary>
    public bool IsOverdue(DateTimeOffset now) => State == ClockStates.Open && DueAt <= now;
}

/// <summary>A clause-1.5 record exactly as its row holds it now (not as the evidence snapshot remembers it).</summary>
public sealed record StoredRecordRow(
    string Platform, string ContentId, long Version, string ServiceType, string AuthorId, string? Title, string Body,
    IReadOnlyList<string> Urls, DateTimeOffset PublishedAt, DateTimeOffset? EditedAt, string SourceIp, int? SourcePort,
    DateTimeOffset ReceivedAt, string ContentSha256, DateTimeOffset RetainUntil, bool LegalHold);

public sealed record TakedownRow(Guid TakedownId, string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, DateTimeOffset? EscalatedAt);

/// <summary>What moderators did with a held item (absent for an automatic block).</summary>
public sealed record ModeratorReviewRow(string Status, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason,
    string? EscalatedBy, DateTimeOffset? EscalatedAt, string? EscalationReason);

/// <summary>Everything the printed evidence of a case shows.</summary>
public sealed record ReportCaseDetail(ReportCaseRow Case, StoredRecordRow Row, ProducedRecord Evidence, IReadOnlyList<TakedownRow> Takedowns, ModeratorReviewRow? Review);

/// <summary>Clause 6: a major incident, its scope, and its report clock.</summary>
public sealed record IncidentRow(
    Guid IncidentId, string Platform, string? AuthorId, string? ContentId, DateTimeOffset? From, DateTimeOffset? To,
    string Description, string DeclaredBy, DateTimeOffset DeclaredAt, DateTimeOffset DueAt, int FrozenRecords,
    DateTimeOffset? RemindedAt, DateTimeOffset? OverdueAt, DateTimeOffset? ReportedAt, string? ReportedBy, string? Authority,
    string? AuthorityReference, DateTimeOffset? ClosedAt, string? ClosedBy)
{
    public string State => ClockStates.Of(ReportedAt, ClosedAt);

    public bool IsOverdue(DateTimeOffset now) => State == ClockStates.Open && DueAt <= now;

    public RecordQuery Scope => new(Platform, AuthorId, ContentId, From, To);
}

/// <summary>A record an incident froze.</summary>
public sealed record IncidentRecordRow(string Platform, string ContentId, long Version, string AuthorId, DateTimeOffset PublishedAt,
    string SourceIp, int? SourcePort, string ContentSha256, bool LegalHold);

public sealed record IncidentDetail(IncidentRow Incident, IReadOnlyList<IncidentRecordRow> Records);

/// <summary>A new incident: its scope (one platform, optionally narrowed) and how long the report may take.</summary>
public sealed record IncidentDeclaration(Guid IncidentId, RecordQuery Scope, string Description, string DeclaredBy, DateTimeOffset DeclaredAt, DateTimeOffset DueAt);

public enum ClockOutcome
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>The result of a state change; <see cref="Events"/> were staged in the outbox in the same transaction.</summary>
public sealed record ClockResult(ClockOutcome Outcome, string? Detail, IReadOnlyList<OutgoingEvent> Events)
{
    public static ClockResult Done(IReadOnlyList<OutgoingEvent>? events = null) => new(ClockOutcome.Done, null, events ?? []);
}

/// <summary>The platform's confirmation, timed: how long each takedown it completes took (only those not completed before).</summary>
public sealed record TakedownCompletion(bool Found, IReadOnlyList<TimeSpan> NewlyCompleted);
