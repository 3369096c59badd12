using System.Globalization;
using System.Text.Json;

namespace Moderation.Storage.Compliance;

/// <summary>
/// Rows as Dapper hands them over from either provider: PostgreSQL gives DateTime (UTC), Guid and int[]; SQLite
/// gives ISO-8601 text, id text and JSON arrays. Typed as object here and converted once, so both stores share
/// the mapping to the public records.
/// </summary>
internal static class Cell
{
    public static DateTimeOffset Time(object v) => TimeOrNull(v) ?? throw new InvalidDataException("A required timestamp is null.");

    public static DateTimeOffset? TimeOrNull(object? v) => v switch
    {
        null or DBNull => null,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        DateTimeOffset o => o,
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidDataException($"Not a timestamp: {v.GetType()}"),
    };

    public static Guid Id(object v) => v switch
    {
        Guid g => g,
        string s => Guid.Parse(s, CultureInfo.InvariantCulture),
        byte[] b => new Guid(b),
        _ => throw new InvalidDataException($"Not an id: {v.GetType()}"),
    };

    public static long Long(object v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);

    public static int? IntOrNull(object? v) => v is null or DBNull ? null : Convert.ToInt32(v, CultureInfo.InvariantCulture);

    public static bool Bool(object v) => v is bool b ? b : Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0;

    public static IReadOnlyList<int> Ints(object v) => v switch
    {
        int[] a => a,
        string s => JsonSerializer.Deserialize<int[]>(s) ?? [],
        _ => throw new InvalidDataException($"Not an int array: {v.GetType()}"),
    };

    public static IReadOnlyList<string> Strings(object v) => v switch
    {
        string[] a => a,
        string s => JsonSerializer.Deserialize<string[]>(s) ?? [],
        _ => throw new InvalidDataException($"Not a text array: {v.GetType()}"),
    };
}

internal sealed class CaseCells
{
    public object CaseId { get; set; } = null!;
    public object DecisionId { get; set; } = null!;
    public string Platform { get; set; } = "";
    public string ContentId { get; set; } = "";
    public object Version { get; set; } = null!;
    public object Categories { get; set; } = null!;
    public object OpenedAt { get; set; } = null!;
    public object DueAt { get; set; } = null!;
    public object? ReportedAt { get; set; }
    public string? ReportedBy { get; set; }
    public string? Authority { get; set; }
    public string? AuthorityReference { get; set; }
    public object? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public object? EscalatedAt { get; set; }

    public ReportCaseRow ToRow() => new(Cell.Id(CaseId), Cell.Id(DecisionId), Platform, ContentId, Cell.Long(Version), Cell.Ints(Categories),
        Cell.Time(OpenedAt), Cell.Time(DueAt), Cell.TimeOrNull(ReportedAt), ReportedBy, Authority, AuthorityReference,
        Cell.TimeOrNull(ClosedAt), ClosedBy, Cell.TimeOrNull(EscalatedAt));
}

internal sealed class RecordCells
{
    public string Platform { get; set; } = "";
    public string ContentId { get; set; } = "";
    public object Version { get; set; } = null!;
    public string ServiceType { get; set; } = "";
    public string AuthorId { get; set; } = "";
    public string? Title { get; set; }
    public string Body { get; set; } = "";
    public object Urls { get; set; } = null!;
    public object PublishedAt { get; set; } = null!;
    public object? EditedAt { get; set; }
    public string SourceIp { get; set; } = "";
    public object? SourcePort { get; set; }
    public object ReceivedAt { get; set; } = null!;
    public string ContentSha256 { get; set; } = "";
    public object RetainUntil { get; set; } = null!;
    public object LegalHold { get; set; } = null!;
    public string EvidenceJson { get; set; } = "";
    public string EvidenceSha256 { get; set; } = "";

    public StoredRecordRow ToRow() => new(Platform, ContentId, Cell.Long(Version), ServiceType, AuthorId, Title, Body, Cell.Strings(Urls),
        Cell.Time(PublishedAt), Cell.TimeOrNull(EditedAt), SourceIp, Cell.IntOrNull(SourcePort), Cell.Time(ReceivedAt), ContentSha256,
        Cell.Time(RetainUntil), Cell.Bool(LegalHold));
}

internal sealed class TakedownCells
{
    public object TakedownId { get; set; } = null!;
    public object DecisionId { get; set; } = null!;
    public string Platform { get; set; } = "";
    public string ContentId { get; set; } = "";
    public object Version { get; set; } = null!;
    public string RequestedBy { get; set; } = "";
    public object RequestedAt { get; set; } = null!;
    public object? CompletedAt { get; set; }
    public object? EscalatedAt { get; set; }
    public object? Fresh { get; set; }

    public TakedownRow ToRow() => new(Cell.Id(TakedownId), RequestedBy, Cell.Time(RequestedAt), Cell.TimeOrNull(CompletedAt), Cell.TimeOrNull(EscalatedAt));
}

internal sealed class ReviewCells
{
    public string Status { get; set; } = "";
    public string? DecidedBy { get; set; }
    public object? DecidedAt { get; set; }
    public string? DecisionReason { get; set; }
    public string? EscalatedBy { get; set; }
    public object? EscalatedAt { get; set; }
    public string? EscalationReason { get; set; }

    public ModeratorReviewRow ToRow() => new(Status, DecidedBy, Cell.TimeOrNull(DecidedAt), DecisionReason, EscalatedBy, Cell.TimeOrNull(EscalatedAt), EscalationReason);
}

internal sealed class IncidentCells
{
    public object IncidentId { get; set; } = null!;
    public string Platform { get; set; } = "";
    public string? AuthorId { get; set; }
    public string? ContentId { get; set; }
    public object? FromAt { get; set; }
    public object? ToAt { get; set; }
    public string Description { get; set; } = "";
    public string DeclaredBy { get; set; } = "";
    public object DeclaredAt { get; set; } = null!;
    public object DueAt { get; set; } = null!;
    public object FrozenRecords { get; set; } = null!;
    public object? RemindedAt { get; set; }
    public object? OverdueAt { get; set; }
    public object? ReportedAt { get; set; }
    public string? ReportedBy { get; set; }
    public string? Authority { get; set; }
    public string? AuthorityReference { get; set; }
    public object? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }

    public IncidentRow ToRow() => new(Cell.Id(IncidentId), Platform, AuthorId, ContentId, Cell.TimeOrNull(FromAt), Cell.TimeOrNull(ToAt),
        Description, DeclaredBy, Cell.Time(DeclaredAt), Cell.Time(DueAt), (int)Cell.Long(FrozenRecords), Cell.TimeOrNull(RemindedAt),
        Cell.TimeOrNull(OverdueAt), Cell.TimeOrNull(ReportedAt), ReportedBy, Authority, AuthorityReference, Cell.TimeOrNull(ClosedAt), ClosedBy);
}

internal sealed class IncidentRecordCells
{
    public string Platform { get; set; } = "";
    public string ContentId { get; set; } = "";
    public object Version { get; set; } = null!;
    public string AuthorId { get; set; } = "";
    public object PublishedAt { get; set; } = null!;
    public string SourceIp { get; set; } = "";
    public object? SourcePort { get; set; }
    public string ContentSha256 { get; set; } = "";
    public object LegalHold { get; set; } = null!;

    public IncidentRecordRow ToRow() => new(Platform, ContentId, Cell.Long(Version), AuthorId, Cell.Time(PublishedAt), SourceIp,
        Cell.IntOrNull(SourcePort), ContentSha256, Cell.Bool(LegalHold));
}
