using System.Globalization;
using System.Net;
using Moderation.Contracts;
using Moderation.Compliance.Documents;
using Moderation.Storage.Compliance;

namespace Moderation.Compliance.Evidence;

/// <summary>
/// Clause 3's "keep and print the records": the printable evidence and report document of one report case, and
/// the report of a major incident (clause 6), as <see cref="PrintDocument"/>s. Content comes from the stored row,
/// exactly as posted; the evidence snapshot taken at decision time is re-hashed and compared with the row, so an
/// edit to either shows on the page.
/// </summary>
public sealed class EvidenceBuilder(ILedgerProofSource ledger, TimeProvider time)
{
    private static string T(DateTimeOffset? t) => PrintFormat.Time(t);

    private static string N(long n) => PrintFormat.Number(n);

    public static string Endpoint(string ip, int? port)
    {
        if (port is null) return ip;
        var p = port.Value.ToString(CultureInfo.InvariantCulture);
        return IPAddress.TryParse(ip, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]:{p}" : $"{ip}:{p}";
    }

    public async Task<PrintDocument> ForCaseAsync(ReportCaseDetail detail, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var c = detail.Case;
        var r = detail.Row;
        var (snapshot, decision) = (detail.Evidence.Post.Record, detail.Evidence.Post.Decision);
        var sections = new List<PrintSection>
        {
            new("Record (clause 1.5)",
            [
                new PrintField("Platform", r.Platform),
                new PrintField("Content id / version", $"{r.ContentId} / v{N(r.Version)}"),
                new PrintField("Service type", r.ServiceType),
                new PrintField("Author", r.AuthorId),
                new PrintField("Published at", T(r.PublishedAt)),
                new PrintField("Edited at", T(r.EditedAt)),
                new PrintField("Received at", T(r.ReceivedAt)),
                new PrintField("Source IP and port", Endpoint(r.SourceIp, r.SourcePort)),
                new PrintField("Kept until", T(r.RetainUntil) + (r.LegalHold ? " · under legal hold" : "")),
            ]),
            new("Content exactly as posted", Content(r)),
            new("Hits", Hits(decision.Hits, decision.HitsOmitted)),
            new("Decision",
            [
                new PrintField("Action", decision.Action),
                new PrintField("Categories (clause 1.3)", string.Join(", ", decision.Categories.Select(x => x.ToString(CultureInfo.InvariantCulture)))),
                new PrintField("Decided at", T(decision.DecidedAt)),
                new PrintField("Decided by", DecidedBy(detail)),
                new PrintField("Reasons", string.Join("; ", decision.Reasons)),
                new PrintField("Versions", $"lexicon {decision.LexiconVersion} · model {decision.ModelVersion} · policy {decision.PolicyVersion}"),
                new PrintTable(["category", "sub-label", "score", "source"],
                    decision.Scores.Select(s => (IReadOnlyList<string>)[s.Category.ToString(CultureInfo.InvariantCulture), s.SubLabel ?? "", s.Score.ToString("0.000", CultureInfo.InvariantCulture), s.Source]).ToList()),
            ]),
        };
        if (detail.Review is { } review)
        {
            sections.Add(new("Moderator review",
            [
                new PrintField("Status", review.Status),
                new PrintField("Decided by", review.DecidedBy ?? "—"),
                new PrintField("Decided at", T(review.DecidedAt)),
                new PrintField("Reason", review.DecisionReason ?? "—"),
                new PrintField("Escalated by", review.EscalatedBy is null ? "—" : $"{review.EscalatedBy} at {T(review.EscalatedAt)}: {review.EscalationReason}"),
            ]));
        }
        sections.Add(new("Takedowns",
        [
            new PrintTable(["takedown id", "requested by", "requested at", "completed at", "escalated at"],
                detail.Takedowns.Select(t => (IReadOnlyList<string>)[t.TakedownId.ToString(), t.RequestedBy, T(t.RequestedAt), T(t.CompletedAt), T(t.EscalatedAt)]).ToList()),
        ]));
        sections.Add(new("Report case (clause 3)",
        [
            new PrintField("Case id", c.CaseId.ToString()),
            new PrintField("State", c.State + (c.IsOverdue(now) ? " · OVERDUE" : "")),
            new PrintField("Opened at", T(c.OpenedAt)),
            new PrintField("Due at", T(c.DueAt)),
            new PrintField("Reported", c.ReportedAt is null ? "not yet" : $"{T(c.ReportedAt)} by {c.ReportedBy} to {c.Authority}, reference {c.AuthorityReference}"),
            new PrintField("Closed", c.ClosedAt is null ? "not yet" : $"{T(c.ClosedAt)} by {c.ClosedBy}"),
            new PrintField("Overdue escalation sent", T(c.EscalatedAt)),
        ]));
        sections.Add(new("Integrity: hashes and chain proof", await IntegrityAsync(detail, snapshot, ct)));
        return new PrintDocument($"Evidence and report: {r.Platform} / {r.ContentId} v{N(r.Version)}", $"report case {c.CaseId}", now, sections);
    }

    private static List<PrintItem> Content(StoredRecordRow r)
    {
        var items = new List<PrintItem>();
        if (r.Title is not null) items.Add(new PrintVerbatim("Title", r.Title));
        items.Add(new PrintVerbatim("Body", r.Body));
        items.Add(new PrintField("Links", r.Urls.Count == 0 ? "none" : string.Join("  ", r.Urls)));
        items.Add(new PrintField("Hit offsets index into", "the title, a newline, then the body (UTF-16 code units, end exclusive)"));
        return items;
    }

    private static List<PrintItem> Hits(IReadOnlyList<KeywordHit> hits, int omitted)
    {
        var items = new List<PrintItem>
        {
            new PrintTable(["kind", "category", "sub-label", "severity", "term", "matched", "offsets"],
                hits.Select(h => (IReadOnlyList<string>)[HitKinds.Of(h), h.Category.ToString(CultureInfo.InvariantCulture), h.SubLabel ?? "",
                    h.Severity.ToString(CultureInfo.InvariantCulture), h.Term, h.Matched,
                    h.Start < 0 ? "in links" : $"[{h.Start.ToString(CultureInfo.InvariantCulture)}, {h.End.ToString(CultureInfo.InvariantCulture)})"]).ToList()),
        };
        if (hits.Count == 0) items.Add(new PrintField("Hits", "none (the model alone decided)"));
        if (omitted > 0) items.Add(new PrintField("Further hits not listed", omitted.ToString(CultureInfo.InvariantCulture)));
        return items;
    }

    private static string DecidedBy(ReportCaseDetail d) =>
        d.Review is { DecidedBy: { } moderator } ? $"{moderator} (moderator)"
        : d.Takedowns.Count > 0 && d.Takedowns[0] is { } t ? (t.RequestedBy == Core.Events.DecisionEvents.AutomaticActor ? "automatic (policy)" : t.RequestedBy)
        : "automatic (policy)";

    private async Task<List<PrintItem>> IntegrityAsync(ReportCaseDetail d, Core.Posts.PostRecord snapshot, CancellationToken ct)
    {
        var r = d.Row;
        var rowMatchesSnapshot = r.Body == snapshot.Body && r.Title == snapshot.Title && r.AuthorId == snapshot.AuthorId
            && r.SourcePort == snapshot.SourcePort && r.ContentSha256 == snapshot.ContentSha256 && Micro(r.PublishedAt) == Micro(snapshot.PublishedAt)
            && NormalisedIp(r.SourceIp) == NormalisedIp(snapshot.SourceIp);
        var items = new List<PrintItem>
        {
            new PrintField("Content SHA-256 (title + newline + body, at intake)", r.ContentSha256 + (RecordHash.ContentMatches(r) ? " · matches the text above" : " · DOES NOT MATCH the text above")),
            new PrintField("Record SHA-256 (canonical row, docs/compliance-desk.md)", RecordHash.Sha256(r)),
            new PrintField("Evidence snapshot SHA-256 (record + decision at decision time)", d.Evidence.Post.EvidenceSha256 + (d.Evidence.EvidenceIntact ? " · snapshot intact" : " · SNAPSHOT ALTERED")),
            new PrintField("Row against snapshot", rowMatchesSnapshot ? "the stored row equals the snapshot" : "THE STORED ROW DIFFERS FROM THE SNAPSHOT"),
        };
        var proof = await ledger.ProofForAsync(r.Platform, r.ContentId, r.Version, ct);
        if (proof is null)
        {
            items.Add(new PrintField("Chain proof", "not available: the record ledger is not connected to this desk"));
        }
        else
        {
            items.Add(new PrintField("Chain proof", proof.Verdict));
            items.AddRange(proof.Lines.Select(l => new PrintField(l.Key, l.Value)));
        }
        return items;
    }

    /// <summary>PostgreSQL keeps microseconds; the snapshot keeps .NET's 100 ns ticks. Compare what both hold.</summary>
    private static long Micro(DateTimeOffset t) => t.UtcTicks / 10;

    private static string NormalisedIp(string ip) => IPAddress.TryParse(ip, out var a) ? a.ToString() : ip;

    public PrintDocument ForIncident(IncidentDetail detail)
    {
        var now = time.GetUtcNow();
        var i = detail.Incident;
        // Whole seconds, rounded: PostgreSQL keeps microseconds, so a full 24 h can read back as 23:59:59.9999999.
        var left = TimeSpan.FromSeconds(Math.Round((i.DueAt - now).TotalSeconds, MidpointRounding.AwayFromZero));
        var clock = i.State != ClockStates.Open ? i.State
            : left > TimeSpan.Zero ? $"open · {(int)left.TotalHours}h {left.Minutes:00}m left" : $"OVERDUE by {(int)(-left).TotalHours}h {(-left).Minutes:00}m";
        var scope = $"platform {i.Platform}" + (i.AuthorId is null ? "" : $", author {i.AuthorId}") + (i.ContentId is null ? "" : $", content {i.ContentId}")
            + (i.From is null ? "" : $", published from {T(i.From)}") + (i.To is null ? "" : $" to {T(i.To)}");
        var sections = new List<PrintSection>
        {
            new("Incident",
            [
                new PrintField("Incident id", i.IncidentId.ToString()),
                new PrintField("Scope", scope),
                new PrintField("Declared", $"{T(i.DeclaredAt)} by {i.DeclaredBy}"),
                new PrintField("Report due", T(i.DueAt)),
                new PrintField("Clock", clock),
                new PrintField("Reminder sent", T(i.RemindedAt)),
                new PrintField("Overdue escalation sent", T(i.OverdueAt)),
                new PrintField("Reported", i.ReportedAt is null ? "not yet" : $"{T(i.ReportedAt)} by {i.ReportedBy} to {i.Authority}, reference {i.AuthorityReference}"),
                new PrintVerbatim("Description", i.Description),
            ]),
            new("Frozen records (legal hold)",
            [
                new PrintField("Records frozen", N(i.FrozenRecords) + (detail.Records.Count < i.FrozenRecords ? $" (first {N(detail.Records.Count)} listed)" : "")),
                new PrintTable(["content id", "version", "author", "published at", "source", "content SHA-256", "held"],
                    detail.Records.Select(x => (IReadOnlyList<string>)[x.ContentId, N(x.Version), x.AuthorId, T(x.PublishedAt), Endpoint(x.SourceIp, x.SourcePort), x.ContentSha256, x.LegalHold ? "yes" : "NO"]).ToList()),
            ]),
        };
        return new PrintDocument($"Major incident report (clause 6): {i.Platform}", $"incident {i.IncidentId}", now, sections);
    }
}
