namespace Moderation.Contracts;

/// <summary>
/// Clause 3: a regulator report case is past its due time and nobody has recorded the report. Emitted once per
/// case (claimed in the database, so several app instances still emit one), for whoever escalates: an on-call
/// page, a compliance officer's mailbox.
/// </summary>
public sealed record ReportCaseOverdue
{
    public required Guid CaseId { get; init; }
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }
    public required IReadOnlyList<int> Categories { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}

/// <summary>A takedown was requested and the platform has not confirmed it (<see cref="TakedownCompleted"/>) within the configured time. Emitted once per takedown.</summary>
public sealed record TakedownOverdue
{
    public required Guid TakedownId { get; init; }
    public required Guid DecisionId { get; init; }
    public required string Platform { get; init; }
    public required string ContentId { get; init; }
    public required long Version { get; init; }
    public required string RequestedBy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}

/// <summary>
/// Clause 6: a major security incident was declared. Every record in its scope is frozen (legal hold) and the
/// report to the authorities is due at <see cref="DueAt"/> (24 hours by default).
/// </summary>
public sealed record MajorIncidentDeclared
{
    public required Guid IncidentId { get; init; }
    public required string Platform { get; init; }
    public string? AuthorId { get; init; }
    public string? ContentId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public required string Description { get; init; }
    public required string DeclaredBy { get; init; }
    public required DateTimeOffset DeclaredAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required int FrozenRecords { get; init; }
}

/// <summary>The incident's report is due soon (Moderation:Compliance:IncidentReminderBefore ahead of <see cref="DueAt"/>) and not yet recorded. Once per incident.</summary>
public sealed record MajorIncidentReportDue
{
    public required Guid IncidentId { get; init; }
    public required string Platform { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset RemindedAt { get; init; }
}

/// <summary>The incident's report is past due and not recorded. Once per incident.</summary>
public sealed record MajorIncidentOverdue
{
    public required Guid IncidentId { get; init; }
    public required string Platform { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
