using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Storage.Compliance;

namespace Moderation.Compliance.Tests;

/// <summary>
/// The compliance store on the embedded SQLite file (the demo's and the default database): two store instances over
/// one file claim each escalation once, an incident freezes its records, and a case walks open → reported → closed.
/// </summary>
public sealed class SqliteComplianceStoreTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "compliance-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly string _cs;
    private readonly SqliteModerationStore _store;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    public SqliteComplianceStoreTests()
    {
        _cs = $"Data Source={_file};Pooling=False";
        DatabaseMigrator.ApplySqlite(_cs);
        _store = new SqliteModerationStore(_cs);
    }

    public void Dispose()
    {
        _store.Dispose();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
    }

    private async Task<Guid> Save(string contentId, string action, string author = "u-1")
    {
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = "forum", ContentId = contentId, Version = 1, ServiceType = ServiceTypes.Forum, AuthorId = author,
            Body = "违禁 placeholder body", PublishedAt = T0.AddSeconds(-5), SourceIp = "198.51.100.4", SourcePort = 5555,
        }, new IntakeOptions { RetentionDays = 60 }, T0);
        var decision = new ModerationDecision(DeterministicIds.Decision("forum", contentId, 1), action, action == ModerationActions.Pass ? [] : [7],
            [], [], ["test"], "lex", "model", "policy", T0);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);
        await _store.SaveAsync([new ModeratedPost(record, decision, json, sha, T0.AddHours(24))], CancellationToken.None);
        return decision.DecisionId;
    }

    [Fact]
    public async Task Two_instances_on_one_file_escalate_an_overdue_case_and_a_stale_takedown_once()
    {
        await Save("b-1", ModerationActions.Block);
        var a = new SqliteComplianceStore(_cs);
        var b = new SqliteComplianceStore(_cs);

        Assert.Empty(await a.EscalateOverdueCasesAsync(T0.AddHours(23), 100, CancellationToken.None));
        var later = T0.AddHours(25);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).EscalateOverdueCasesAsync(later, 100, CancellationToken.None)));
        var overdue = Assert.Single(results.SelectMany(r => r));
        Assert.Equal("b-1", ((ReportCaseOverdue)overdue.Message).ContentId);

        var stale = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).EscalateStaleTakedownsAsync(later.AddHours(-1), later, 100, CancellationToken.None)));
        Assert.Equal("b-1", ((TakedownOverdue)Assert.Single(stale.SelectMany(r => r)).Message).ContentId);
    }

    [Fact]
    public async Task A_completed_takedown_is_timed_once_and_never_escalated()
    {
        await Save("b-2", ModerationActions.Block);
        var store = new SqliteComplianceStore(_cs);
        var first = await store.CompleteTakedownAsync("forum", "b-2", 1, null, T0.AddMinutes(7), CancellationToken.None);
        Assert.True(first.Found);
        Assert.Equal(TimeSpan.FromMinutes(7), Assert.Single(first.NewlyCompleted));
        var again = await store.CompleteTakedownAsync("forum", "b-2", 1, null, T0.AddMinutes(9), CancellationToken.None);
        Assert.True(again.Found);
        Assert.Empty(again.NewlyCompleted);
        Assert.False((await store.CompleteTakedownAsync("forum", "nope", 1, null, T0, CancellationToken.None)).Found);
        Assert.Empty(await store.EscalateStaleTakedownsAsync(T0.AddDays(2), T0.AddDays(2), 100, CancellationToken.None));
    }

    [Fact]
    public async Task A_case_walks_open_reported_closed_and_its_evidence_reads_back()
    {
        await Save("b-3", ModerationActions.Block);
        var store = new SqliteComplianceStore(_cs);
        var kase = Assert.Single(await store.ListCasesAsync("forum", ClockStates.Open, 10, CancellationToken.None));
        Assert.True(kase.IsOverdue(T0.AddHours(24)));
        Assert.Equal(ClockOutcome.Conflict, (await store.CloseCaseAsync(kase.CaseId, "c", T0, CancellationToken.None)).Outcome);
        Assert.Equal(ClockOutcome.Done, (await store.MarkCaseReportedAsync(kase.CaseId, "c", "CAC", "r-1", T0.AddHours(1), CancellationToken.None)).Outcome);
        Assert.Equal(ClockOutcome.Conflict, (await store.MarkCaseReportedAsync(kase.CaseId, "c", "CAC", "r-2", T0.AddHours(1), CancellationToken.None)).Outcome);
        Assert.Equal(ClockOutcome.Done, (await store.CloseCaseAsync(kase.CaseId, "c", T0.AddHours(2), CancellationToken.None)).Outcome);
        Assert.Equal(ClockOutcome.NotFound, (await store.CloseCaseAsync(Guid.NewGuid(), "c", T0, CancellationToken.None)).Outcome);
        Assert.Empty(await store.EscalateOverdueCasesAsync(T0.AddDays(3), 100, CancellationToken.None));

        var detail = (await store.GetCaseAsync(kase.CaseId, CancellationToken.None))!;
        Assert.Equal(ClockStates.Closed, detail.Case.State);
        Assert.Equal("违禁 placeholder body", detail.Row.Body);
        Assert.True(detail.Row.LegalHold);
        Assert.True(detail.Evidence.EvidenceIntact);
        Assert.True(Evidence.RecordHash.ContentMatches(detail.Row));
        Assert.Equal("auto", Assert.Single(detail.Takedowns).RequestedBy);
    }

    [Fact]
    public async Task An_incident_freezes_every_record_in_scope_and_its_clock_reminds_then_escalates_once()
    {
        await Save("p-1", ModerationActions.Pass, "u-9");
        await Save("p-2", ModerationActions.Pass, "u-9");
        await Save("p-3", ModerationActions.Pass, "other");
        var store = new SqliteComplianceStore(_cs);
        var id = Guid.NewGuid();
        var (incident, events) = await store.DeclareIncidentAsync(new IncidentDeclaration(id, new RecordQuery("forum", AuthorId: "u-9"), "账号被盗", "comp", T0, T0.AddHours(1)), CancellationToken.None);
        Assert.Equal(2, incident.FrozenRecords);
        Assert.Equal(2, ((MajorIncidentDeclared)Assert.Single(events).Message).FrozenRecords);
        var detail = (await store.GetIncidentAsync(id, 10, CancellationToken.None))!;
        Assert.All(detail.Records, r => Assert.True(r.LegalHold));
        Assert.Equal(["p-1", "p-2"], detail.Records.Select(r => r.ContentId).Order(StringComparer.Ordinal));

        var other = new SqliteComplianceStore(_cs);
        var reminders = await Task.WhenAll(store.RunIncidentClocksAsync(T0.AddMinutes(40), TimeSpan.FromMinutes(30), CancellationToken.None),
            other.RunIncidentClocksAsync(T0.AddMinutes(40), TimeSpan.FromMinutes(30), CancellationToken.None));
        Assert.IsType<MajorIncidentReportDue>(Assert.Single(reminders.SelectMany(r => r)).Message);
        var overdue = await Task.WhenAll(store.RunIncidentClocksAsync(T0.AddMinutes(61), TimeSpan.FromMinutes(30), CancellationToken.None),
            other.RunIncidentClocksAsync(T0.AddMinutes(61), TimeSpan.FromMinutes(30), CancellationToken.None));
        Assert.IsType<MajorIncidentOverdue>(Assert.Single(overdue.SelectMany(r => r)).Message);
        Assert.Equal(ClockStates.Open, IncidentState(await store.ListIncidentsAsync(5, CancellationToken.None)));
    }

    private static string IncidentState(IReadOnlyList<IncidentRow> rows) => Assert.Single(rows).State;
}
