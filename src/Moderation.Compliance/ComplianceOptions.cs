using Microsoft.Extensions.Options;

namespace Moderation.Compliance;

/// <summary>Configuration section <c>Moderation:Compliance</c>: the compliance desk's clocks and its printer. Validated at start-up.</summary>
public sealed class ComplianceOptions
{
    public const string Section = "Moderation:Compliance";

    /// <summary>Whether this instance runs the clocks (any number may: each escalation is claimed once in the database).</summary>
    public bool RunClocks { get; set; } = true;

    /// <summary>How often the clocks look for overdue cases, stale takedowns and incident reminders.</summary>
    public TimeSpan ClockInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A takedown the platform has not confirmed this long after the request is escalated (once).</summary>
    public TimeSpan TakedownFollowUp { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Clause 6: the report of a major incident is due this long after it is declared (1 h to 24 h).</summary>
    public TimeSpan IncidentReportDue { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A reminder is emitted this long before an incident's report is due (less than <see cref="IncidentReportDue"/>).</summary>
    public TimeSpan IncidentReminderBefore { get; set; } = TimeSpan.FromHours(4);

    /// <summary>At most this many escalations of each kind per tick (the rest wait for the next tick).</summary>
    public int EscalationBatch { get; set; } = 100;

    /// <summary>At most this many frozen records are listed in an incident report (the count is always exact).</summary>
    public int MaxIncidentRecordsPrinted { get; set; } = 2000;

    /// <summary>
    /// The TrueType CJK font for PDFs (.ttf or .ttc); unset: the first of <see cref="Fonts.PdfFontSource.DefaultFiles"/> that exists
    /// (Debian's fonts-wqy-microhei). Without one, the HTML print view still works and the PDF answers 503 saying what to install.
    /// </summary>
    public string? PdfFontFile { get; set; }
}

public sealed class ComplianceOptionsValidator : IValidateOptions<ComplianceOptions>
{
    public ValidateOptionsResult Validate(string? name, ComplianceOptions o)
    {
        var s = ComplianceOptions.Section;
        var errors = new List<string>();
        if (o.ClockInterval < TimeSpan.FromMilliseconds(100) || o.ClockInterval > TimeSpan.FromHours(1))
            errors.Add($"{s}:ClockInterval must lie between 00:00:00.1 and 01:00:00 (got {o.ClockInterval}).");
        if (o.TakedownFollowUp < TimeSpan.FromMinutes(1) || o.TakedownFollowUp > TimeSpan.FromDays(30))
            errors.Add($"{s}:TakedownFollowUp must lie between 00:01:00 and 30 days (got {o.TakedownFollowUp}).");
        if (o.IncidentReportDue < TimeSpan.FromHours(1) || o.IncidentReportDue > TimeSpan.FromHours(24))
            errors.Add($"{s}:IncidentReportDue must lie between 01:00:00 and 24:00:00: clause 6 asks for a report within 24 hours (got {o.IncidentReportDue}).");
        if (o.IncidentReminderBefore <= TimeSpan.Zero || o.IncidentReminderBefore >= o.IncidentReportDue)
            errors.Add($"{s}:IncidentReminderBefore must be positive and shorter than IncidentReportDue (got {o.IncidentReminderBefore}).");
        if (o.EscalationBatch is < 1 or > 10_000)
            errors.Add($"{s}:EscalationBatch must lie between 1 and 10000.");
        if (o.MaxIncidentRecordsPrinted is < 1 or > 100_000)
            errors.Add($"{s}:MaxIncidentRecordsPrinted must lie between 1 and 100000.");
        if (!string.IsNullOrWhiteSpace(o.PdfFontFile) && !File.Exists(o.PdfFontFile))
            errors.Add($"{s}:PdfFontFile '{o.PdfFontFile}' does not exist (a TrueType .ttf or .ttc with CJK glyphs, e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
