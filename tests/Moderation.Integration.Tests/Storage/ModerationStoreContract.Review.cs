using Microsoft.Extensions.Time.Testing;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Storage;
using Moderation.Storage.Review;

namespace Moderation.Integration.Tests.Storage;

/// <summary>
/// What the review stores must do, on both providers: the moderators' queue over what the worker's store
/// wrote, exactly-one-winner claims, decisions that commit with their takedown rows, audit row and outbox
/// events (shaped from the stored record and decision), the append-only audit log, the outbox sweep and
/// the streamed export.
/// </summary>
public abstract partial class ModerationStoreContract
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    protected static readonly TimeSpan ReportDue = TimeSpan.FromHours(24);
    protected const int MaxClaims = 20;

    /// <summary>The review stores' clock, starting at <see cref="Now"/>.</summary>
    protected FakeTimeProvider Time { get; } = new(Now);

    protected abstract IReviewQueue Queue { get; }
    protected abstract IReviewCommands Commands { get; }
    protected abstract IAuditLog Audit { get; }
    protected abstract IReviewOutbox Outbox { get; }

    /// <summary>Tries to UPDATE and then to DELETE audit rows with raw SQL; returns the database's refusals (null where it allowed it).</summary>
    protected abstract Task<(string? Update, string? Delete)> TryRewriteAuditLogAsync();

    private static ReviewActor Moderator(string name = "mod1") => new(name, ["moderator"], "api-key", "192.0.2.10", "test-agent", MaySupervise: false);
    private static ReviewActor Supervisor(string name = "sup") => new(name, ["supervisor"], "password", "192.0.2.11", null, MaySupervise: true);

    /// <summary>A post the worker held for review: a keyword hit where the term really stands, and a model score.</summary>
    private async Task<ModeratedPost> HeldAsync(string platform, string contentId, int severity = 2, int category = 7, string subLabel = "gambling",
        double score = 0.5, TimeSpan? age = null, string author = "author-1", string serviceType = ServiceTypes.Forum, string action = ModerationActions.Quarantine,
        string? secondSubLabel = null)
    {
        var at = Time.GetUtcNow() - (age ?? TimeSpan.FromMinutes(5));
        const string body = "tonight: odds on 赌球 at our site";
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = platform, ContentId = contentId, ServiceType = serviceType, AuthorId = author, Title = "title " + contentId, Body = body,
            Urls = ["https://example.org/x"], PublishedAt = at.AddSeconds(-3), SourceIp = "198.51.100.9", SourcePort = 5555,
        }, new IntakeOptions { RetentionDays = 60 }, at);
        var start = record.Text.IndexOf("赌球", StringComparison.Ordinal);
        var hits = severity == 0 ? new List<KeywordHit>() : [new KeywordHit("赌球", category, subLabel, severity, start, start + 2, "赌球")];
        if (secondSubLabel is not null)
            hits.Add(new KeywordHit("odds", category, secondSubLabel, 1, record.Text.IndexOf("odds", StringComparison.Ordinal), record.Text.IndexOf("odds", StringComparison.Ordinal) + 4, "odds"));
        var decision = new ModerationDecision(DeterministicIds.Decision(platform, contentId, 1), action, [category],
            [new CategoryScore(category, subLabel, score, "model")],
            hits,
            [$"{category}: keyword '赌球' severity {severity}"], "lex-abc", "model-20261129", "policy-7", at);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);
        var post = new ModeratedPost(record, decision, json, sha, at + ReportDue);
        Assert.True(Assert.Single(await Store.SaveAsync([post], default)).Inserted);
        return post;
    }

    private static string NewPlatform() => "rv-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_queue_lists_what_the_worker_held_with_its_derived_keys()
    {
        var platform = NewPlatform();
        var held = await HeldAsync(platform, "q-1", severity: 3, category: 9, subLabel: "drugs", score: 0.75);
        await HeldAsync(platform, "passed", action: ModerationActions.Pass);

        var page = await Queue.ListAsync(Query(platform), default);

        var item = Assert.Single(page.Items);
        Assert.Equal(held.Decision.DecisionId, item.DecisionId);
        Assert.Equal((3, 0.75, ReviewStatuses.Pending), (item.MaxSeverity, item.TopScore, item.Status));
        Assert.Equal([9], item.Categories);
        Assert.Equal(["drugs"], item.SubLabels);
        Assert.Equal("title q-1 / tonight: odds on 赌球 at our site", item.Excerpt);
        Assert.Equal(300, item.AgeSeconds);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task The_queue_filters_sorts_and_pages_by_keyset()
    {
        var platform = NewPlatform();
        var high = await HeldAsync(platform, "high", severity: 3, category: 9, subLabel: "drugs", score: 0.9, age: TimeSpan.FromMinutes(1));
        var old = await HeldAsync(platform, "old", severity: 1, age: TimeSpan.FromHours(3), serviceType: ServiceTypes.Chat);
        var mid = await HeldAsync(platform, "mid", severity: 2, subLabel: "violence", age: TimeSpan.FromMinutes(30));
        Guid Id(ModeratedPost p) => p.Decision.DecisionId;
        async Task<List<Guid>> Ids(QueueQuery q) => (await Queue.ListAsync(q, default)).Items.Select(i => i.DecisionId).ToList();

        Assert.Equal([Id(high), Id(mid), Id(old)], await Ids(Query(platform)));
        Assert.Equal([Id(old), Id(mid), Id(high)], await Ids(Query(platform) with { Sort = QueueQuery.SortAge }));
        Assert.Equal([Id(mid), Id(old)], await Ids(Query(platform) with { Category = 7 }));
        Assert.Equal([Id(high)], await Ids(Query(platform) with { SubLabel = "drugs" }));
        Assert.Equal([Id(high), Id(mid)], await Ids(Query(platform) with { MinSeverity = 2 }));
        Assert.Equal([Id(old)], await Ids(Query(platform) with { ServiceType = ServiceTypes.Chat }));
        Assert.Equal([Id(mid), Id(old)], await Ids(Query(platform) with { MinAge = TimeSpan.FromMinutes(10) }));
        Assert.Equal([Id(high), Id(mid)], await Ids(Query(platform) with { MaxAge = TimeSpan.FromHours(1) }));

        var low = await HeldAsync(platform, "low", severity: 1, subLabel: "violence", age: TimeSpan.FromMinutes(40));
        Assert.Equal([Id(mid), Id(low)], await Ids(Query(platform) with { SubLabel = "violence" }));
        // Two sub-labels, the one asked for second: found all the same, in its place.
        var both = await HeldAsync(platform, "both", severity: 2, subLabel: "gambling", secondSubLabel: "violence", age: TimeSpan.FromMinutes(20));
        Assert.Equal(["gambling", "violence"], (await Queue.GetAsync(Id(both), default))!.SubLabels);
        Assert.Equal([Id(mid), Id(both), Id(low)], await Ids(Query(platform) with { SubLabel = "violence" }));
        Assert.Equal([Id(mid), Id(both), Id(low)], await Ids(Query(platform) with { SubLabel = "violence", Category = 7 }));
        foreach (var query in new[] { Query(platform), Query(platform) with { Category = 7 }, Query(platform) with { SubLabel = "violence" } })
        {
            foreach (var sort in new[] { QueueQuery.SortSeverity, QueueQuery.SortAge })
            {
                var seen = new List<Guid>();
                QueueCursor? after = null;
                do
                {
                    var page = await Queue.ListAsync(query with { Sort = sort, Limit = 1, After = after }, default);
                    seen.AddRange(page.Items.Select(i => i.DecisionId));
                    after = page.NextCursor is { } next && QueueCursor.TryDecode(next, out var c) ? c : null;
                } while (after is not null);
                Assert.Equal(await Ids(query with { Sort = sort }), seen);
            }
        }
    }

    [Fact]
    public async Task An_item_shows_the_text_evidence_real_versions_record_and_the_authors_other_decisions()
    {
        var platform = NewPlatform();
        var earlier = await HeldAsync(platform, "earlier", severity: 3, action: ModerationActions.Block, age: TimeSpan.FromDays(1));
        var held = await HeldAsync(platform, "now");

        var item = await Queue.GetAsync(held.Decision.DecisionId, default);

        Assert.NotNull(item);
        Assert.Equal(held.Record.Text, item.Text);
        var hit = Assert.Single(item.Hits);
        Assert.Equal("赌球", item.Text[hit.Start..hit.End]);
        Assert.Equal(new Versions("lex-abc", "model-20261129", "policy-7"), item.Versions);
        Assert.Equal(("author-1", "198.51.100.9", (int?)5555), (item.Record.AuthorId, item.Record.SourceIp, item.Record.SourcePort));
        Assert.Equal(held.Record.PublishedAt, item.Record.PublishedAt);
        Assert.Equal(["https://example.org/x"], item.Record.Urls);
        var previous = Assert.Single(item.PreviousDecisionsOnAuthor);
        Assert.Equal((earlier.Decision.DecisionId, ModerationActions.Block), (previous.DecisionId, previous.Action));
        Assert.Null(await Queue.GetAsync(Guid.NewGuid(), default));
    }

    [Fact]
    public async Task Of_many_concurrent_claims_exactly_one_wins()
    {
        var held = await HeldAsync(NewPlatform(), "race");
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => Commands.ClaimAsync(Moderator("mod" + i), held.Decision.DecisionId, Lease, MaxClaims, default))));

        var winner = Assert.Single(results, r => r.Outcome == Outcome.Done);
        Assert.Equal(Now + Lease, winner.ClaimExpiresAt);
        Assert.All(results.Where(r => r != winner), r => Assert.Equal(Outcome.Conflict, r.Outcome));
        var holder = (await Queue.GetAsync(held.Decision.DecisionId, default))!.Review.ClaimedBy;
        Assert.Contains(results.Where(r => r != winner), r => r.Detail!.Contains($"claimed by {holder}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lapsed_claim_can_be_taken_and_a_decision_needs_a_live_claim()
    {
        var id = (await HeldAsync(NewPlatform(), "lease")).Decision.DecisionId;
        var decide = new DecideCommand(ReviewActions.Release, "fine", null, null);

        Assert.Equal(Outcome.Conflict, (await Commands.DecideAsync(Moderator(), id, decide, false, ReportDue, default)).Outcome);
        Assert.Equal(Outcome.Done, (await Commands.ClaimAsync(Moderator("mod1"), id, Lease, MaxClaims, default)).Outcome);
        Assert.Equal(Outcome.Conflict, (await Commands.ClaimAsync(Moderator("mod2"), id, Lease, MaxClaims, default)).Outcome);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(Outcome.Done, (await Commands.ClaimAsync(Moderator("mod2"), id, Lease, MaxClaims, default)).Outcome);
        var late = await Commands.DecideAsync(Moderator("mod1"), id, decide, false, ReportDue, default);
        Assert.Equal(Outcome.Conflict, late.Outcome);
        Assert.Contains("claimed by mod2", late.Detail, StringComparison.Ordinal);
        Assert.Equal(Outcome.Done, (await Commands.UnclaimAsync(Moderator("mod2"), id, default)).Outcome);
        Assert.Null((await Queue.GetAsync(id, default))!.Review.ClaimedBy);
    }

    [Fact]
    public async Task A_confirm_writes_the_takedown_report_case_hold_audit_and_outbox_in_one_go_from_the_stored_decision()
    {
        var held = await HeldAsync(NewPlatform(), "confirm", category: 7);
        var id = held.Decision.DecisionId;
        await Commands.ClaimAsync(Moderator(), id, Lease, MaxClaims, default);
        Time.Advance(TimeSpan.FromMinutes(2));

        var result = await Commands.DecideAsync(Moderator(), id, new DecideCommand(ReviewActions.Confirm, "casino advert", "seen before", [7, 9]), false, ReportDue, default);

        Assert.Equal((Outcome.Done, ReviewStatuses.Confirmed), (result.Outcome, result.Status));
        var at = Now + TimeSpan.FromMinutes(2);
        var takedown = Assert.IsType<TakedownRequested>(result.Events.Single(e => e.Message is TakedownRequested).Message);
        Assert.Equal((id, "mod1", "casino advert", at), (takedown.DecisionId, takedown.RequestedBy, takedown.Reason, takedown.RequestedAt));
        Assert.Equal([7, 9], takedown.Categories);
        Assert.Equal(DeterministicIds.For(id, "takedown"), takedown.TakedownId);
        var preservation = Assert.IsType<RecordPreservationRequested>(result.Events.Single(e => e.Message is RecordPreservationRequested).Message);
        Assert.Equal((held.EvidenceSha256, held.Record.ContentSha256, held.Record.RetainUntil), (preservation.EvidenceSha256, preservation.ContentSha256, preservation.PreserveUntil));
        Assert.Equal(DecisionEvents.ForTakedown(held.Record, TakedownOrder.ByModerator(held.Record, held.Decision, [7, 9], "mod1", "casino advert", at), held.EvidenceSha256)
            .Select(e => e.MessageId), result.Events.Select(e => e.MessageId));

        // The takedown row (the platform can complete it), the report case (due after ReportDue) and the legal hold.
        Assert.True(await Store.CompleteTakedownAsync(held.Record.Platform, "confirm", 1, takedown.TakedownId, at.AddMinutes(1), default));
        Assert.Equal(at + ReportDue, (await Store.FindAsync(held.Record.Platform, "confirm", 1, default))!.ReportDueAt);
        Assert.True(Assert.Single(await Store.ProduceAsync(new RecordQuery(held.Record.Platform, ContentId: "confirm"), default).ToListAsync()).LegalHold);

        var item = await Queue.GetAsync(id, default);
        Assert.Equal((ReviewStatuses.Confirmed, "mod1", "casino advert"), (item!.Review.Status, item.Review.DecidedBy, item.Review.DecisionReason));
        Assert.Equal([7, 9], item.Categories);
        var note = Assert.Single(item.Review.Notes);
        Assert.Equal(("mod1", "seen before", NoteKinds.Decision, at), (note.Author, note.Text, note.Kind, note.WrittenAt));
        var audit = (await Audit.ListAsync(id, null, null, 10, default)).Select(e => e.Action).ToList();
        Assert.Equal([AuditActions.Confirm, AuditActions.Claim], audit);

        var again = await Commands.DecideAsync(Moderator(), id, new DecideCommand(ReviewActions.Release, "no", null, null), true, ReportDue, default);
        Assert.Equal((Outcome.Conflict, "Item is already confirmed."), (again.Outcome, again.Detail));
    }

    [Fact]
    public async Task A_release_emits_content_released_and_takes_the_item_out_of_the_queue()
    {
        var platform = NewPlatform();
        var held = await HeldAsync(platform, "release");
        await Commands.ClaimAsync(Moderator(), held.Decision.DecisionId, Lease, MaxClaims, default);

        var result = await Commands.DecideAsync(Moderator(), held.Decision.DecisionId, new DecideCommand(ReviewActions.Release, "news quote", null, null), false, ReportDue, default);

        var released = Assert.IsType<ContentReleased>(Assert.Single(result.Events).Message);
        Assert.Equal((held.Decision.DecisionId, "release", "mod1", "news quote"), (released.DecisionId, released.ContentId, released.ReleasedBy, released.Reason));
        Assert.Empty((await Queue.ListAsync(Query(platform), default)).Items);
        Assert.False(Assert.Single(await Store.ProduceAsync(new RecordQuery(platform), default).ToListAsync()).LegalHold);
        Assert.Null(await Store.TakedownCompletedAtAsync(held.Decision.DecisionId, default));
        Assert.False(await Store.CompleteTakedownAsync(platform, "release", 1, null, Now, default));
    }

    [Fact]
    public async Task Escalated_items_belong_to_supervisors()
    {
        var platform = NewPlatform();
        var id = (await HeldAsync(platform, "escalate")).Decision.DecisionId;
        await Commands.ClaimAsync(Moderator(), id, Lease, MaxClaims, default);
        var escalated = await Commands.DecideAsync(Moderator(), id, new DecideCommand(ReviewActions.Escalate, "unsure", null, null), false, ReportDue, default);
        Assert.Equal((Outcome.Done, ReviewStatuses.Escalated), (escalated.Outcome, escalated.Status));
        Assert.Empty(escalated.Events);

        Assert.Equal(Outcome.Forbidden, (await Commands.ClaimAsync(Moderator("mod2"), id, Lease, MaxClaims, default)).Outcome);
        Assert.Single((await Queue.ListAsync(Query(platform) with { Status = ReviewStatuses.Escalated }, default)).Items);
        Assert.Equal(Outcome.Done, (await Commands.ClaimAsync(Supervisor(), id, Lease, MaxClaims, default)).Outcome);
        var item = await Queue.GetAsync(id, default);
        Assert.Equal(("mod1", "unsure"), (item!.Review.EscalatedBy, item.Review.EscalationReason));
    }

    [Fact]
    public async Task Notes_are_rows_with_who_and_when_whatever_their_text_says()
    {
        var id = (await HeldAsync(NewPlatform(), "notes")).Decision.DecisionId;
        const string forged = "fine\n[2026-12-01T09:00:00Z sup] Approved by sup";
        Assert.Equal(Outcome.Done, (await Commands.AddNoteAsync(Moderator(), id, "  " + forged + " ", default)).Outcome);
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(Outcome.Done, (await Commands.AddNoteAsync(Supervisor(), id, "second", default)).Outcome);

        var notes = (await Queue.GetAsync(id, default))!.Review.Notes;
        Assert.Equal([("mod1", forged, Now), ("sup", "second", Now + TimeSpan.FromSeconds(5))], notes.Select(n => (n.Author, n.Text, n.WrittenAt)));
        Assert.All(notes, n => Assert.Equal(NoteKinds.Note, n.Kind));
        Assert.True(notes[0].NoteId < notes[1].NoteId);
        Assert.Equal(Outcome.NotFound, (await Commands.AddNoteAsync(Moderator(), Guid.NewGuid(), "x", default)).Outcome);
        Assert.Equal([AuditActions.Note, AuditActions.Note], (await Audit.ListAsync(id, null, null, 10, default)).Select(e => e.Action));
    }

    [Fact]
    public async Task Notes_go_on_open_items_of_the_actors_queue_only()
    {
        var platform = NewPlatform();
        var escalated = (await HeldAsync(platform, "n-esc")).Decision.DecisionId;
        var released = (await HeldAsync(platform, "n-rel")).Decision.DecisionId;
        await Commands.ClaimAsync(Moderator(), escalated, Lease, MaxClaims, default);
        await Commands.DecideAsync(Moderator(), escalated, new DecideCommand(ReviewActions.Escalate, "unsure", null, null), false, ReportDue, default);
        await Commands.ClaimAsync(Moderator(), released, Lease, MaxClaims, default);
        await Commands.DecideAsync(Moderator(), released, new DecideCommand(ReviewActions.Release, "fine", null, null), false, ReportDue, default);

        Assert.Equal(Outcome.Forbidden, (await Commands.AddNoteAsync(Moderator(), escalated, "x", default)).Outcome);
        Assert.Equal(Outcome.Done, (await Commands.AddNoteAsync(Supervisor(), escalated, "x", default)).Outcome);
        var refused = await Commands.AddNoteAsync(Supervisor(), released, "x", default);
        Assert.Equal((Outcome.Conflict, "Item is already released; notes are for open items."), (refused.Outcome, refused.Detail));
        Assert.Empty((await Queue.GetAsync(released, default))!.Review.Notes);
    }

    [Fact]
    public async Task One_person_holds_at_most_the_cap_of_open_claims_even_claiming_in_parallel()
    {
        var platform = NewPlatform();
        var ids = new List<Guid>();
        for (var i = 0; i < 8; i++) ids.Add((await HeldAsync(platform, "cap-" + i)).Decision.DecisionId);

        var results = await Task.WhenAll(ids.Select(id => Task.Run(() => Commands.ClaimAsync(Moderator("capped"), id, Lease, 3, default))));

        Assert.Equal(3, results.Count(r => r.Outcome == Outcome.Done));
        Assert.All(results.Where(r => r.Outcome != Outcome.Done), r => Assert.Contains("already hold 3 open claims", r.Detail, StringComparison.Ordinal));
        var held = ids.Where((_, i) => results[i].Outcome == Outcome.Done).ToList();
        // Re-claiming one held extends it; another person is not affected; a lapsed claim no longer counts.
        Assert.Equal(Outcome.Done, (await Commands.ClaimAsync(Moderator("capped"), held[0], Lease, 3, default)).Outcome);
        var free = ids.First(id => !held.Contains(id));
        Assert.Equal(Outcome.Done, (await Commands.ClaimAsync(Moderator("other"), free, Lease, 3, default)).Outcome);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(Outcome.Done, (await Commands.ClaimAsync(Moderator("capped"), ids.First(id => !held.Contains(id) && id != free), Lease, 3, default)).Outcome);
    }

    [Fact]
    public async Task The_audit_log_records_who_what_and_from_where_and_cannot_be_rewritten()
    {
        var id = Guid.NewGuid();
        await Audit.AppendAsync(Moderator("auditee"), AuditActions.ViewPersonalData, id, new { fields = new[] { "authorId" } }, default);
        Time.Advance(TimeSpan.FromSeconds(1));
        await Audit.AppendAsync(Moderator("auditee"), AuditActions.Login, null, null, default);

        var entries = await Audit.ListAsync(null, "auditee", null, 10, default);
        Assert.Equal([AuditActions.Login, AuditActions.ViewPersonalData], entries.Select(e => e.Action));
        var view = entries[1];
        Assert.Equal((id, "192.0.2.10", "test-agent", "api-key", Now), (view.DecisionId, view.ClientIp, view.UserAgent, view.AuthMethod, view.OccurredAt));
        Assert.Equal(["moderator"], view.ActorRoles);
        Assert.Equal("authorId", view.Details.GetProperty("fields")[0].GetString());
        Assert.Equal([view.AuditId], (await Audit.ListAsync(id, null, null, 10, default)).Select(e => e.AuditId));
        Assert.Equal([view.AuditId], (await Audit.ListAsync(null, "auditee", entries[0].AuditId, 10, default)).Select(e => e.AuditId));

        var (update, delete) = await TryRewriteAuditLogAsync();
        Assert.Contains("append-only", update, StringComparison.Ordinal);
        Assert.Contains("append-only", delete, StringComparison.Ordinal);
        Assert.Equal(2, (await Audit.ListAsync(null, "auditee", null, 10, default)).Count);
    }

    [Fact]
    public async Task The_outbox_sweep_publishes_what_a_crash_left_unmarked_once_with_its_message_id()
    {
        var held = await HeldAsync(NewPlatform(), "outbox");
        await Commands.ClaimAsync(Moderator(), held.Decision.DecisionId, Lease, MaxClaims, default);
        // The decision committed and its events sit in the outbox; say the process died before publishing them.
        var result = await Commands.DecideAsync(Moderator(), held.Decision.DecisionId, new DecideCommand(ReviewActions.Confirm, "r", null, null), false, ReportDue, default);
        Time.Advance(TimeSpan.FromMinutes(1));

        var published = new List<OutgoingEvent>();
        var count = await Outbox.SweepAsync(Time.GetUtcNow(), 100, (m, _) =>
        {
            if (m.ToEvent() is { } e && result.Events.Any(x => x.MessageId == e.MessageId))
                published.Add(e);
            return Task.FromResult(true);
        }, default);

        Assert.True(count >= 2);
        Assert.Equal(result.Events.Select(e => e.MessageId).Order(), published.Select(e => e.MessageId).Order());
        Assert.Equal(result.Events.Select(e => e.Message.GetType()).OrderBy(t => t.Name), published.Select(e => e.Message.GetType()).OrderBy(t => t.Name));
        Assert.Equal("r", published.Select(e => e.Message).OfType<TakedownRequested>().Single().Reason);
        Assert.Equal(0, await Outbox.SweepAsync(Time.GetUtcNow(), 100, (_, _) => Task.FromResult(true), default));
    }

    [Fact]
    public async Task Published_events_are_marked_and_not_swept_again_and_young_ones_wait()
    {
        var held = await HeldAsync(NewPlatform(), "marked");
        await Commands.ClaimAsync(Moderator(), held.Decision.DecisionId, Lease, MaxClaims, default);
        var result = await Commands.DecideAsync(Moderator(), held.Decision.DecisionId, new DecideCommand(ReviewActions.Release, "r", null, null), false, ReportDue, default);
        var seen = new List<Guid>();
        Task<bool> Record(OutboxMessage m, CancellationToken _) { seen.Add(m.MessageId); return Task.FromResult(true); }

        // Created now: a sweep for what is older than a minute leaves it to the request path.
        await Outbox.SweepAsync(Time.GetUtcNow() - TimeSpan.FromMinutes(1), 100, Record, default);
        Assert.DoesNotContain(result.Events[0].MessageId, seen);
        await Outbox.MarkPublishedAsync([result.Events[0].MessageId], default);
        await Outbox.SweepAsync(Time.GetUtcNow(), 100, Record, default);
        Assert.DoesNotContain(result.Events[0].MessageId, seen);
    }

    [Fact]
    public async Task The_export_streams_decided_items_in_decision_order_within_the_window()
    {
        var platform = NewPlatform();
        var first = await HeldAsync(platform, "exp-1");
        var second = await HeldAsync(platform, "exp-2");
        var open = await HeldAsync(platform, "exp-open");
        foreach (var (post, action) in new[] { (first, ReviewActions.Confirm), (second, ReviewActions.Release) })
        {
            await Commands.ClaimAsync(Moderator(), post.Decision.DecisionId, Lease, MaxClaims, default);
            await Commands.DecideAsync(Moderator(), post.Decision.DecisionId, new DecideCommand(action, "r", null, null), false, ReportDue, default);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var rows = new List<DecidedItem>();
        await foreach (var row in Queue.DecidedAsync(Now, Now + TimeSpan.FromMinutes(10), default))
        {
            if (row.DecisionId == first.Decision.DecisionId || row.DecisionId == second.Decision.DecisionId || row.DecisionId == open.Decision.DecisionId)
                rows.Add(row);
        }
        Assert.Equal([(first.Decision.DecisionId, ReviewStatuses.Confirmed), (second.Decision.DecisionId, ReviewStatuses.Released)], rows.Select(r => (r.DecisionId, r.Status)));
        Assert.Equal(("title exp-1", "tonight: odds on 赌球 at our site"), (rows[0].Title, rows[0].Body));
        Assert.Equal([7], rows[0].Categories);
        await foreach (var row in Queue.DecidedAsync(Now + TimeSpan.FromMinutes(1), null, default))
            Assert.NotEqual(first.Decision.DecisionId, row.DecisionId);
    }

    private static QueueQuery Query(string platform) =>
        new(ReviewStatuses.Pending, QueueQuery.SortSeverity, null, null, null, platform, null, null, null, false, 50, null);
}
