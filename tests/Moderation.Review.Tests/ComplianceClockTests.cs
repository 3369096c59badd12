using System.Net;
using System.Net.Http.Json;
using MassTransit.Testing;
using Moderation.Contracts;
using Moderation.Core.Events;

namespace Moderation.Review.Tests;

/// <summary>
/// The compliance clocks with fake time on real PostgreSQL: each overdue case, stale takedown and incident reminder
/// is emitted exactly once, also with two app instances ticking at the same moment against the same database.
/// </summary>
public sealed class ComplianceClockTests(ComplianceAppFixture app) : IClassFixture<ComplianceAppFixture>
{
    private async Task<(Guid Decision, Guid Case)> Blocked(string platform, string body = "placeholder-term-a for sale")
    {
        var decision = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, Action = ModerationActions.Block, InQuarantine = false, Age = TimeSpan.Zero, Body = body });
        var kase = await app.Fixtures.ScalarAsync<Guid>("SELECT case_id FROM report_cases WHERE decision_id = @id", ("id", decision));
        return (decision, kase);
    }

    /// <summary>Both instances tick at once, <paramref name="rounds"/> times; every event either claimed.</summary>
    private static async Task<List<OutgoingEvent>> TickTogether(int rounds, params Moderation.Review.Compliance.ComplianceClock[] clocks)
    {
        var all = new List<OutgoingEvent>();
        for (var i = 0; i < rounds; i++)
        {
            var results = await Task.WhenAll(clocks.Select(c => c.TickAsync(CancellationToken.None)));
            foreach (var r in results) all.AddRange(r);
        }
        return all;
    }

    [Fact]
    public async Task An_open_case_past_its_due_time_is_escalated_exactly_once_by_two_instances()
    {
        var platform = "clock-" + Guid.NewGuid().ToString("N")[..6];
        var (_, kase) = await Blocked(platform);
        var (a, b) = (app.NewClockInstance(TimeSpan.FromDays(10)), app.NewClockInstance(TimeSpan.FromDays(10)));

        // Not due yet: nothing for this case.
        app.Time.Advance(TimeSpan.FromHours(23));
        var early = await TickTogether(2, a, b);
        Assert.DoesNotContain(early, e => e.Message is ReportCaseOverdue o && o.CaseId == kase);

        app.Time.Advance(TimeSpan.FromHours(2));
        var claimed = await TickTogether(3, a, b);
        var mine = claimed.Where(e => e.Message is ReportCaseOverdue o && o.CaseId == kase).ToList();
        Assert.Single(mine);
        var overdue = (ReportCaseOverdue)mine[0].Message;
        Assert.Equal(platform, overdue.Platform);
        Assert.Equal(DeterministicIdsFor(kase), mine[0].MessageId);

        Assert.Equal(1, app.Harness.Published.Select<ReportCaseOverdue>().Count(x => x.Context.Message.CaseId == kase));
        Assert.NotNull(await app.Fixtures.ScalarAsync<DateTime?>("SELECT escalated_at FROM report_cases WHERE case_id = @id", ("id", kase)));
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_outbox WHERE message_type = 'ReportCaseOverdue' AND payload->>'caseId' = @id AND published_at IS NOT NULL", ("id", kase.ToString())));
    }

    private static Guid DeterministicIdsFor(Guid caseId) => Moderation.Core.Decisions.DeterministicIds.For(caseId, nameof(ReportCaseOverdue));

    [Fact]
    public async Task A_reported_case_is_never_escalated()
    {
        var platform = "rep-" + Guid.NewGuid().ToString("N")[..6];
        var (_, kase) = await Blocked(platform);
        using var comp = app.ClientFor("comp");
        using var reported = await comp.PostAsJsonAsync($"/api/compliance/cases/{kase}/report", new { authority = "网信办 (CAC) Beijing", reference = "CAC-2026-0042" });
        Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);

        app.Time.Advance(TimeSpan.FromHours(30));
        var claimed = await TickTogether(2, app.NewClockInstance(TimeSpan.FromDays(10)), app.NewClockInstance(TimeSpan.FromDays(10)));
        Assert.DoesNotContain(claimed, e => e.Message is ReportCaseOverdue o && o.CaseId == kase);
    }

    [Fact]
    public async Task An_incomplete_takedown_is_escalated_exactly_once_and_a_completed_one_never()
    {
        var platform = "td-" + Guid.NewGuid().ToString("N")[..6];
        var (open, _) = await Blocked(platform);
        var (done, _) = await Blocked(platform);
        var doneTakedown = await app.Fixtures.ScalarAsync<Guid>("SELECT takedown_id FROM takedowns WHERE decision_id = @id", ("id", done));
        var openTakedown = await app.Fixtures.ScalarAsync<Guid>("SELECT takedown_id FROM takedowns WHERE decision_id = @id", ("id", open));

        app.Time.Advance(TimeSpan.FromMinutes(20));
        var contentId = (await app.Fixtures.ScalarAsync<string>("SELECT content_id FROM takedowns WHERE takedown_id = @id", ("id", doneTakedown)))!;
        var completion = await app.Compliance.CompleteTakedownAsync(platform, contentId, null, doneTakedown, app.Time.GetUtcNow(), CancellationToken.None);
        Assert.True(completion.Found);
        Assert.Equal(TimeSpan.FromMinutes(20), Assert.Single(completion.NewlyCompleted));
        // The same confirmation again: recorded once, so time to takedown is not measured twice.
        var again = await app.Compliance.CompleteTakedownAsync(platform, contentId, null, doneTakedown, app.Time.GetUtcNow().AddMinutes(1), CancellationToken.None);
        Assert.True(again.Found);
        Assert.Empty(again.NewlyCompleted);

        app.Time.Advance(TimeSpan.FromMinutes(50));
        var claimed = await TickTogether(3, app.NewClockInstance(TimeSpan.FromHours(1)), app.NewClockInstance(TimeSpan.FromHours(1)));
        var mine = claimed.Where(e => e.Message is TakedownOverdue t && (t.TakedownId == openTakedown || t.TakedownId == doneTakedown)).ToList();
        var only = (TakedownOverdue)Assert.Single(mine).Message;
        Assert.Equal(openTakedown, only.TakedownId);
        Assert.Equal(1, app.Harness.Published.Select<TakedownOverdue>().Count(x => x.Context.Message.TakedownId == openTakedown));
        Assert.Equal(0, app.Harness.Published.Select<TakedownOverdue>().Count(x => x.Context.Message.TakedownId == doneTakedown));
    }

    [Fact]
    public async Task A_declared_incident_freezes_its_records_and_its_clock_reminds_once_and_escalates_once()
    {
        var platform = "inc-" + Guid.NewGuid().ToString("N")[..6];
        var held = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, AuthorId = "u-9" });
        var passed = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, AuthorId = "u-9", Action = ModerationActions.Pass, InQuarantine = false, Categories = [] });
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, AuthorId = "someone-else", Action = ModerationActions.Pass, InQuarantine = false, Categories = [] });

        using var comp = app.ClientFor("comp");
        using var declared = await comp.PostAsJsonAsync("/api/compliance/incidents", new { platform, authorId = "u-9", description = "账号被盗用发布违法信息 / account takeover" });
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        var incident = (await declared.Content.ReadFromJsonAsync<IncidentDto>())!;
        Assert.Equal(2, incident.FrozenRecords);
        Assert.Equal(TimeSpan.FromHours(24), incident.DueAt - incident.DeclaredAt);
        Assert.True(await app.Harness.Published.Any<MajorIncidentDeclared>(x => x.Context.Message.IncidentId == incident.IncidentId && x.Context.Message.FrozenRecords == 2));
        foreach (var id in new[] { held, passed })
        {
            Assert.True(await app.Fixtures.ScalarAsync<bool>(
                "SELECT r.legal_hold FROM post_records r JOIN decisions d USING (platform, content_id, version) WHERE d.decision_id = @id", ("id", id)));
        }
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM post_records WHERE platform = @p AND NOT legal_hold", ("p", platform)));

        var (a, b) = (app.NewClockInstance(TimeSpan.FromDays(10)), app.NewClockInstance(TimeSpan.FromDays(10)));
        app.Time.Advance(TimeSpan.FromHours(21));
        var reminders = (await TickTogether(3, a, b)).Where(e => e.Message is MajorIncidentReportDue r && r.IncidentId == incident.IncidentId).ToList();
        Assert.Single(reminders);
        Assert.DoesNotContain((await TickTogether(1, a, b)), e => e.Message is MajorIncidentOverdue o && o.IncidentId == incident.IncidentId);

        app.Time.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));
        var overdue = (await TickTogether(3, a, b)).Where(e => e.Message is MajorIncidentOverdue o && o.IncidentId == incident.IncidentId).ToList();
        Assert.Single(overdue);
        Assert.Equal(1, app.Harness.Published.Select<MajorIncidentOverdue>().Count(x => x.Context.Message.IncidentId == incident.IncidentId));
        Assert.Equal(1, app.Harness.Published.Select<MajorIncidentReportDue>().Count(x => x.Context.Message.IncidentId == incident.IncidentId));
    }

    private sealed record IncidentDto(Guid IncidentId, int FrozenRecords, DateTimeOffset DeclaredAt, DateTimeOffset DueAt, string State, bool Overdue);
}
