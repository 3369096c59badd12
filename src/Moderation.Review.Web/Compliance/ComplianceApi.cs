using System.Globalization;
using Microsoft.Extensions.Options;
using Moderation.Compliance;
using Moderation.Compliance.Documents;
using Moderation.Compliance.Evidence;
using Moderation.Review.Auth;
using Moderation.Review.Messaging;
using Moderation.Storage;
using Moderation.Storage.Compliance;
using Moderation.Storage.Review;

namespace Moderation.Review.Compliance;

/// <summary>The compliance desk's API under /api/compliance. Reads need compliance, auditor or admin; changes need the compliance role (policy compliance.act, shared with lawful requests). Every step is audited.</summary>
public static class ComplianceApi
{
    private const int MaxText = 2000;
    private const int MaxDescription = 8000;

    public static class Actions
    {
        public const string CaseReported = "compliance.case.reported";
        public const string CaseClosed = "compliance.case.closed";
        public const string IncidentDeclared = "compliance.incident.declared";
        public const string IncidentReported = "compliance.incident.reported";
        public const string ViewEvidence = "compliance.evidence.view";
    }

    public static WebApplication MapComplianceDesk(this WebApplication app)
    {
        var read = app.MapGroup("/api/compliance").RequireAuthorization(ReviewPolicies.ComplianceRead).WithTags("compliance");
        read.MapGet("/cases", Cases).WithSummary("Report cases (clause 3) with their clocks, soonest due first; state = open | reported | closed.");
        read.MapGet("/cases/{id:guid}/evidence.html", (Guid id, HttpContext ctx, IComplianceStore store, EvidenceBuilder builder, IAuditLog audit, CancellationToken ct) =>
            CaseDocument(id, ctx, store, builder, audit, null, ct)).WithSummary("Printable evidence and report of a case (HTML print view).");
        read.MapGet("/cases/{id:guid}/evidence.pdf", (Guid id, HttpContext ctx, IComplianceStore store, EvidenceBuilder builder, IAuditLog audit, PdfPrinter pdf, CancellationToken ct) =>
            CaseDocument(id, ctx, store, builder, audit, pdf, ct)).WithSummary("The same as a PDF, Chinese in an embedded CJK font.");
        read.MapGet("/incidents", Incidents).WithSummary("Major incidents (clause 6) with their report clock and frozen-record count, newest first.");
        read.MapGet("/incidents/{id:guid}/report.html", (Guid id, HttpContext ctx, IComplianceStore store, EvidenceBuilder builder, IAuditLog audit, IOptions<ComplianceOptions> o, CancellationToken ct) =>
            IncidentDocument(id, ctx, store, builder, audit, o, null, ct)).WithSummary("The incident report (HTML print view).");
        read.MapGet("/incidents/{id:guid}/report.pdf", (Guid id, HttpContext ctx, IComplianceStore store, EvidenceBuilder builder, IAuditLog audit, IOptions<ComplianceOptions> o, PdfPrinter pdf, CancellationToken ct) =>
            IncidentDocument(id, ctx, store, builder, audit, o, pdf, ct)).WithSummary("The incident report as a PDF.");
        read.MapLedgerVerify();

        var act = app.MapGroup("/api/compliance").RequireAuthorization(ReviewPolicies.ComplianceAct).WithTags("compliance");
        act.MapPost("/cases/{id:guid}/report", ReportCase).WithSummary("open → reported: to which authority, with their reference.");
        act.MapPost("/cases/{id:guid}/close", CloseCase).WithSummary("reported → closed.");
        act.MapPost("/incidents", Declare).WithSummary("Declare a major incident: freezes every record in scope and starts the report clock.");
        act.MapPost("/incidents/{id:guid}/report", ReportIncident).WithSummary("Record the incident's report to an authority.");
        return app;
    }

    private static async Task<IResult> Cases(IComplianceStore store, TimeProvider time, string? state, string? platform, string? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not null && !ClockStates.All.Contains(state)) errors["state"] = ["state must be open, reported or closed."];
        if (platform is { Length: > 200 }) errors["platform"] = ["platform is at most 200 characters."];
        var lim = ParseLimit(limit, errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var now = time.GetUtcNow();
        var rows = await store.ListCasesAsync(platform, state, lim, ct);
        return Results.Ok(new CaseList(now, rows.Select(c => new CaseView(c.CaseId, c.DecisionId, c.Platform, c.ContentId, c.Version, c.Categories,
            c.OpenedAt, c.DueAt, c.State, c.IsOverdue(now), Seconds(c.DueAt - now), c.ReportedAt, c.ReportedBy, c.Authority,
            c.AuthorityReference, c.ClosedAt, c.ClosedBy, c.EscalatedAt)).ToList()));
    }

    private static async Task<IResult> Incidents(IComplianceStore store, TimeProvider time, string? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var lim = ParseLimit(limit, errors);
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var now = time.GetUtcNow();
        var rows = await store.ListIncidentsAsync(lim, ct);
        return Results.Ok(new IncidentList(now, rows.Select(i => View(i, now)).ToList()));
    }

    private static IncidentView View(IncidentRow i, DateTimeOffset now) => new(i.IncidentId, i.Platform, i.AuthorId, i.ContentId, i.From, i.To,
        i.Description, i.DeclaredBy, i.DeclaredAt, i.DueAt, i.State, i.IsOverdue(now), Seconds(i.DueAt - now), i.FrozenRecords,
        i.RemindedAt, i.OverdueAt, i.ReportedAt, i.ReportedBy, i.Authority, i.AuthorityReference);

    private static async Task<IResult> ReportCase(Guid id, AuthorityReport? body, HttpContext ctx, IComplianceStore store, IAuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (ValidateReport(body) is { } invalid) return invalid;
        var actor = Actor.From(ctx);
        var result = await store.MarkCaseReportedAsync(id, actor.Name, body!.Authority!.Trim(), body.Reference!.Trim(), time.GetUtcNow(), ct);
        if (result.Outcome == ClockOutcome.Done)
            await audit.AppendAsync(actor.ForStore(), Actions.CaseReported, null, new { caseId = id, authority = body.Authority, reference = body.Reference }, ct);
        return Outcome(result);
    }

    private static async Task<IResult> CloseCase(Guid id, HttpContext ctx, IComplianceStore store, IAuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var actor = Actor.From(ctx);
        var result = await store.CloseCaseAsync(id, actor.Name, time.GetUtcNow(), ct);
        if (result.Outcome == ClockOutcome.Done)
            await audit.AppendAsync(actor.ForStore(), Actions.CaseClosed, null, new { caseId = id }, ct);
        return Outcome(result);
    }

    private static async Task<IResult> ReportIncident(Guid id, AuthorityReport? body, HttpContext ctx, IComplianceStore store, IAuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (ValidateReport(body) is { } invalid) return invalid;
        var actor = Actor.From(ctx);
        var result = await store.MarkIncidentReportedAsync(id, actor.Name, body!.Authority!.Trim(), body.Reference!.Trim(), time.GetUtcNow(), ct);
        if (result.Outcome == ClockOutcome.Done)
            await audit.AppendAsync(actor.ForStore(), Actions.IncidentReported, null, new { incidentId = id, authority = body.Authority, reference = body.Reference }, ct);
        return Outcome(result);
    }

    private static async Task<IResult> Declare(IncidentRequest? body, HttpContext ctx, IComplianceStore store, IAuditLog audit, ReviewOutbox outbox,
        IOptions<ComplianceOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Platform) || body.Platform.Length > 200) errors["platform"] = ["platform is required (the incident's scope), at most 200 characters."];
        if (string.IsNullOrWhiteSpace(body?.Description) || body.Description.Length > MaxDescription) errors["description"] = [$"description is required, at most {MaxDescription} characters."];
        if (body?.AuthorId is { Length: > 256 }) errors["authorId"] = ["authorId is at most 256 characters."];
        if (body?.ContentId is { Length: > 256 }) errors["contentId"] = ["contentId is at most 256 characters."];
        if (body?.From is { } f && body.To is { } t && t <= f) errors["to"] = ["to must be after from."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var actor = Actor.From(ctx);
        var now = time.GetUtcNow();
        var declaration = new IncidentDeclaration(Guid.CreateVersion7(now), new RecordQuery(body!.Platform!.Trim(), Blank(body.AuthorId), Blank(body.ContentId), body.From, body.To),
            body.Description!.Trim(), actor.Name, now, now + options.Value.IncidentReportDue);
        var (incident, events) = await store.DeclareIncidentAsync(declaration, ct);
        await audit.AppendAsync(actor.ForStore(), Actions.IncidentDeclared, null,
            new { incidentId = incident.IncidentId, scope = declaration.Scope, frozenRecords = incident.FrozenRecords, dueAt = incident.DueAt }, ct);
        await outbox.PublishCommittedAsync(events, ct);
        return Results.Created($"/api/compliance/incidents/{incident.IncidentId}/report.html", View(incident, now));
    }

    private static async Task<IResult> CaseDocument(Guid id, HttpContext ctx, IComplianceStore store, EvidenceBuilder builder, IAuditLog audit, PdfPrinter? pdf, CancellationToken ct)
    {
        var detail = await store.GetCaseAsync(id, ct);
        if (detail is null) return Results.Problem(title: "Not found", detail: $"No report case {id}.", statusCode: StatusCodes.Status404NotFound);
        // The evidence shows author, IP and port: personal data, so every print leaves a trail.
        await audit.AppendAsync(Actor.From(ctx).ForStore(), Actions.ViewEvidence, detail.Case.DecisionId, new { caseId = id, format = pdf is null ? "html" : "pdf" }, ct);
        var doc = await builder.ForCaseAsync(detail, ct);
        return Document(doc, pdf, $"case-{id}");
    }

    private static async Task<IResult> IncidentDocument(Guid id, HttpContext ctx, IComplianceStore store, EvidenceBuilder builder, IAuditLog audit,
        IOptions<ComplianceOptions> options, PdfPrinter? pdf, CancellationToken ct)
    {
        var detail = await store.GetIncidentAsync(id, options.Value.MaxIncidentRecordsPrinted, ct);
        if (detail is null) return Results.Problem(title: "Not found", detail: $"No incident {id}.", statusCode: StatusCodes.Status404NotFound);
        await audit.AppendAsync(Actor.From(ctx).ForStore(), Actions.ViewEvidence, null, new { incidentId = id, format = pdf is null ? "html" : "pdf" }, ct);
        return Document(builder.ForIncident(detail), pdf, $"incident-{id}");
    }

    private static IResult Document(PrintDocument doc, PdfPrinter? pdf, string name)
    {
        if (pdf is null)
            return Results.Content(HtmlPrintView.Render(doc), "text/html; charset=utf-8");
        var bytes = pdf.Render(doc);
        if (bytes is null)
            return Results.Problem(title: "No PDF font", statusCode: StatusCodes.Status503ServiceUnavailable,
                detail: "No TrueType CJK font is installed for PDFs: apt-get install fonts-wqy-microhei, or set Moderation:Compliance:PdfFontFile. The HTML print view works without it.");
        return Results.File(bytes, "application/pdf", name + ".pdf");
    }

    private static IResult? ValidateReport(AuthorityReport? body)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Authority) || body.Authority.Length > MaxText) errors["authority"] = [$"authority is required (which authority it was reported to), at most {MaxText} characters."];
        if (string.IsNullOrWhiteSpace(body?.Reference) || body.Reference.Length > MaxText) errors["reference"] = [$"reference is required (the authority's reference), at most {MaxText} characters."];
        return errors.Count > 0 ? Results.ValidationProblem(errors) : null;
    }

    private static int ParseLimit(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null) return 200;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= 1000) return v;
        errors["limit"] = ["limit must be a whole number from 1 to 1000."];
        return 0;
    }

    /// <summary>Whole seconds, rounded: PostgreSQL keeps microseconds, so 23 h read back can be 22:59:59.9999999.</summary>
    private static long Seconds(TimeSpan left) => (long)Math.Round(left.TotalSeconds, MidpointRounding.AwayFromZero);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static IResult Outcome(ClockResult r) => r.Outcome switch
    {
        ClockOutcome.Done => Results.NoContent(),
        ClockOutcome.NotFound => Results.Problem(title: "Not found", detail: r.Detail, statusCode: StatusCodes.Status404NotFound),
        _ => Results.Problem(title: "Conflict", detail: r.Detail, statusCode: StatusCodes.Status409Conflict),
    };
}

public sealed record AuthorityReport(string? Authority, string? Reference);

public sealed record IncidentRequest(string? Platform, string? AuthorId, string? ContentId, DateTimeOffset? From, DateTimeOffset? To, string? Description);

public sealed record CaseView(Guid CaseId, Guid DecisionId, string Platform, string ContentId, long Version, IReadOnlyList<int> Categories,
    DateTimeOffset OpenedAt, DateTimeOffset DueAt, string State, bool Overdue, long SecondsLeft, DateTimeOffset? ReportedAt, string? ReportedBy,
    string? Authority, string? AuthorityReference, DateTimeOffset? ClosedAt, string? ClosedBy, DateTimeOffset? EscalatedAt);

public sealed record CaseList(DateTimeOffset Now, IReadOnlyList<CaseView> Cases);

public sealed record IncidentView(Guid IncidentId, string Platform, string? AuthorId, string? ContentId, DateTimeOffset? From, DateTimeOffset? To,
    string Description, string DeclaredBy, DateTimeOffset DeclaredAt, DateTimeOffset DueAt, string State, bool Overdue, long SecondsLeft,
    int FrozenRecords, DateTimeOffset? RemindedAt, DateTimeOffset? OverdueAt, DateTimeOffset? ReportedAt, string? ReportedBy, string? Authority,
    string? AuthorityReference);

public sealed record IncidentList(DateTimeOffset Now, IReadOnlyList<IncidentView> Incidents);
