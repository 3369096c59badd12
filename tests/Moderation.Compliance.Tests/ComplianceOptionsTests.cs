namespace Moderation.Compliance.Tests;

/// <summary>Moderation:Compliance is validated at start-up: a clock that cannot meet clause 6 is refused with the key named.</summary>
public sealed class ComplianceOptionsTests
{
    private static string? Error(ComplianceOptions o)
    {
        var result = new ComplianceOptionsValidator().Validate(null, o);
        return result.Failed ? result.FailureMessage : null;
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Null(Error(new ComplianceOptions()));

    [Theory]
    [InlineData(0.5)]
    [InlineData(25)]
    public void An_incident_report_due_outside_1_to_24_hours_is_refused(double hours)
    {
        var error = Error(new ComplianceOptions { IncidentReportDue = TimeSpan.FromHours(hours), IncidentReminderBefore = TimeSpan.FromMinutes(10) });
        Assert.Contains("Moderation:Compliance:IncidentReportDue", error, StringComparison.Ordinal);
    }

    [Fact]
    public void One_hour_is_the_shortest_incident_clock_and_its_reminder_must_come_before_it()
    {
        Assert.Null(Error(new ComplianceOptions { IncidentReportDue = TimeSpan.FromHours(1), IncidentReminderBefore = TimeSpan.FromMinutes(15) }));
        Assert.Contains("IncidentReminderBefore", Error(new ComplianceOptions { IncidentReportDue = TimeSpan.FromHours(1), IncidentReminderBefore = TimeSpan.FromHours(1) }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_font_file_and_a_zero_follow_up_are_refused()
    {
        var error = Error(new ComplianceOptions { PdfFontFile = "/nonexistent/font.ttc", TakedownFollowUp = TimeSpan.Zero });
        Assert.Contains("PdfFontFile", error, StringComparison.Ordinal);
        Assert.Contains("TakedownFollowUp", error, StringComparison.Ordinal);
    }
}
