using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Moderation.Contracts;
using Moderation.Core.Taxonomy;
using Moderation.Review.Auth;
using Moderation.Review.Data;
using Moderation.Review.Messaging;
using Moderation.Storage.Review;
using Microsoft.Extensions.Options;

namespace Moderation.Review.Api;

public static class ReviewApi
{
    private const int MaxReason = 2000;
    private const int MaxNote = 4000;

    public static IServiceCollection AddReviewApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddOpenApi();
        return services;
    }

    public static WebApplication MapReviewApi(this WebApplication app)
    {
        app.MapOpenApi();
        var api = app.MapGroup("/api");

        var auth = api.MapGroup("/auth").WithTags("auth");
        auth.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(SecurityExtensions.LoginRateLimit)
            .WithSummary("Log in with a configured user; sets the session cookie. Send header X-Moderation-Csrf: 1.");
        auth.MapPost("/logout", Logout).WithSummary("End the cookie session.");
        api.MapGet("/me", (HttpContext ctx) => Me(ctx)).WithTags("auth").WithSummary("Who am I, with which roles.");

        var read = api.MapGroup("").RequireAuthorization(ReviewPolicies.Read).WithTags("queue");
        read.MapGet("/taxonomy", () => ProhibitedCategories.Default.All).WithSummary("The nine clause-1.3 categories and their sub-labels.");
        read.MapGet("/queue", Queue).WithSummary("The open queue: filters, sort by severity or age, keyset paging via 'after'.");
        read.MapGet("/items/{id:guid}", Item).WithSummary("One item: text, hits with offsets, scores, versions, record metadata (audited), the author's earlier decisions.");

        var act = api.MapGroup("/items").RequireAuthorization(ReviewPolicies.Act).WithTags("decisions");
        act.MapPost("/{id:guid}/claim", Claim).WithSummary("Claim an item with an expiring lease; 409 when someone else holds it.");
        act.MapPost("/{id:guid}/unclaim", Unclaim).WithSummary("Give a claimed item back to the queue.");
        act.MapPost("/{id:guid}/decision", Decide).WithSummary("confirm | release | escalate, with a required reason; needs your live claim.");
        act.MapPost("/{id:guid}/notes", Note).WithSummary("Append a note to an item.");
        api.MapPost("/items/bulk-decision", Bulk).RequireAuthorization(ReviewPolicies.Supervise).WithTags("decisions")
            .WithSummary("Supervisors: decide many items at once, overriding claims.");

        api.MapGet("/audit", Audit).RequireAuthorization(ReviewPolicies.Audit).WithTags("audit")
            .WithSummary("The append-only audit log, newest first; page with 'before'.");
        api.MapGet("/export/training.tsv", Export).RequireAuthorization(ReviewPolicies.Export).WithTags("export")
            .WithSummary("Confirmed/released items as labelled TSV rows (text, orig_label, cat, split, source) for the train command.");
        return app;
    }

    private static async Task<IResult> Login(LoginRequest? body, HttpContext ctx, ReviewerDirectory directory, IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body?.Name)) errors["name"] = ["name is required."];
        if (string.IsNullOrEmpty(body?.Password)) errors["password"] = ["password is required."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var principal = directory.CheckPassword(body!.Name!, body.Password!, CookieAuthenticationDefaults.AuthenticationScheme);
        var ua = ctx.Request.Headers.UserAgent.ToString();
        if (principal is null)
        {
            var nobody = new Actor(body.Name!.Length > 100 ? body.Name[..100] : body.Name, [], "password", ctx.Connection.RemoteIpAddress, ua);
            await audit.AppendAsync(nobody.ForStore(), AuditActions.LoginFailed, null, null, ct);
            return Results.Problem(title: "Login failed", detail: "Unknown user or wrong password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        await ctx.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        ctx.User = principal;
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.Login, null, null, ct);
        return Results.Ok(Me(ctx));
    }

    private static async Task<IResult> Logout(HttpContext ctx, IAuditLog audit, CancellationToken ct)
    {
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.Logout, null, null, ct);
        await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }

    private static Me Me(HttpContext ctx)
    {
        var actor = Actor.From(ctx);
        return new Me(actor.Name, actor.Roles, actor.AuthMethod);
    }

    private static async Task<IResult> Queue(HttpContext ctx, IReviewQueue queue, IOptions<ReviewOptions> options,
        string? status, string? sort, string? category, string? subLabel, string? minSeverity, string? platform, string? serviceType,
        string? minAge, string? maxAge, string? unclaimed, string? limit, string? after, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        status ??= "pending";
        if (status is not ("pending" or "escalated")) errors["status"] = ["status must be 'pending' or 'escalated'."];
        sort ??= QueueQuery.SortSeverity;
        if (sort is not (QueueQuery.SortSeverity or QueueQuery.SortAge)) errors["sort"] = ["sort must be 'severity' or 'age'."];
        var cat = ParseInt(category, "category", 1, 9, errors);
        var sev = ParseInt(minSeverity, "minSeverity", 0, 100, errors);
        var lim = ParseInt(limit, "limit", 1, options.Value.MaxPageSize, errors) ?? 50;
        var min = ParseAge(minAge, "minAge", errors);
        var max = ParseAge(maxAge, "maxAge", errors);
        if (serviceType is not null && !ServiceTypes.All.Contains(serviceType))
            errors["serviceType"] = [$"serviceType must be one of {string.Join(", ", ServiceTypes.All)}."];
        if (subLabel is { Length: > 100 }) errors["subLabel"] = ["subLabel is at most 100 characters."];
        if (platform is { Length: > 200 }) errors["platform"] = ["platform is at most 200 characters."];
        QueueCursor? cursor = null;
        if (after is not null && !QueueCursor.TryDecode(after, out cursor)) errors["after"] = ["after is not a cursor this API returned."];
        if (unclaimed is not (null or "true" or "false")) errors["unclaimed"] = ["unclaimed must be 'true' or 'false'."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var page = await queue.ListAsync(new QueueQuery(status, sort, cat, subLabel, sev, platform, serviceType, min, max,
            unclaimed == "true", lim, cursor), ct);
        return Results.Ok(page);
    }

    private static async Task<IResult> Item(Guid id, HttpContext ctx, IReviewQueue queue, IAuditLog audit, CancellationToken ct)
    {
        var item = await queue.GetAsync(id, ct);
        if (item is null) return NotFound(id);
        // The record metadata (author, source IP, publish time) is personal data: every view leaves a trail.
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.ViewPersonalData, id,
            new { fields = new[] { "authorId", "sourceIp", "sourcePort", "publishedAt" }, item.Platform, item.ContentId }, ct);
        return Results.Ok(item);
    }

    private static async Task<IResult> Claim(Guid id, HttpContext ctx, IReviewCommands commands, IOptions<ReviewOptions> options, CancellationToken ct)
    {
        var actor = Actor.From(ctx);
        var result = await commands.ClaimAsync(actor.ForStore(), id, options.Value.ClaimLease, ct);
        return result.Outcome == Outcome.Done
            ? Results.Ok(new ClaimResponse(id, actor.Name, result.ClaimExpiresAt!.Value))
            : Failure(result);
    }

    private static async Task<IResult> Unclaim(Guid id, HttpContext ctx, IReviewCommands commands, CancellationToken ct)
    {
        var result = await commands.UnclaimAsync(Actor.From(ctx).ForStore(), id, ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new DecisionResponse(id, result.Status!)) : Failure(result);
    }

    private static async Task<IResult> Decide(Guid id, DecisionRequest? body, HttpContext ctx, IReviewCommands commands, ReviewOutbox outbox,
        IOptions<ReviewOptions> options, CancellationToken ct)
    {
        var errors = ValidateDecision(body?.Action, body?.Reason, body?.Notes, body?.Categories);
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var result = await commands.DecideAsync(Actor.From(ctx).ForStore(), id,
            new DecideCommand(body!.Action!, body.Reason!.Trim(), body.Notes, body.Categories), overrideClaim: false, options.Value.ReportDue, ct);
        await outbox.PublishCommittedAsync(result.Events, ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new DecisionResponse(id, result.Status!)) : Failure(result);
    }

    private static async Task<IResult> Bulk(BulkDecisionRequest? body, HttpContext ctx, IReviewCommands commands, ReviewOutbox outbox, IOptions<ReviewOptions> options, CancellationToken ct)
    {
        var errors = ValidateDecision(body?.Action, body?.Reason, body?.Notes, null);
        var ids = body?.DecisionIds ?? [];
        if (ids.Count == 0) errors["decisionIds"] = ["decisionIds needs at least one id."];
        else if (ids.Count > options.Value.MaxBulkItems) errors["decisionIds"] = [$"decisionIds holds at most {options.Value.MaxBulkItems} ids."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var actor = Actor.From(ctx).ForStore();
        var results = new List<BulkItemResult>(ids.Count);
        // One transaction per item: one item decided elsewhere must not roll back the rest.
        foreach (var id in ids.Distinct())
        {
            var r = await commands.DecideAsync(actor, id, new DecideCommand(body!.Action!, body.Reason!.Trim(), body.Notes, null), overrideClaim: true, options.Value.ReportDue, ct);
            await outbox.PublishCommittedAsync(r.Events, ct);
            results.Add(new BulkItemResult(id, r.Outcome.ToString().ToLowerInvariant(), r.Status, r.Detail));
        }
        return Results.Ok(new BulkDecisionResponse(results));
    }

    private static async Task<IResult> Note(Guid id, NoteRequest? body, HttpContext ctx, IReviewCommands commands, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Text) || body.Text.Length > MaxNote)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"text is required, at most {MaxNote} characters."] });
        var result = await commands.AddNoteAsync(Actor.From(ctx).ForStore(), id, body.Text, ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new DecisionResponse(id, result.Status!)) : Failure(result);
    }

    private static async Task<IResult> Audit(HttpContext ctx, IAuditLog audit, Guid? decisionId, string? actor, string? before, string? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var lim = ParseInt(limit, "limit", 1, 1000, errors) ?? 100;
        long? beforeId = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) beforeId = b;
            else errors["before"] = ["before must be an auditId."];
        }
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var entries = await audit.ListAsync(decisionId, actor, beforeId, lim, ct);
        // The audit log holds reviewers' IP addresses: reading it is itself audited.
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.ViewAuditLog, decisionId, new { actor, before = beforeId, limit = lim, rows = entries.Count }, ct);
        return Results.Ok(entries);
    }

    private static async Task Export(HttpContext ctx, TrainingExport export, IAuditLog audit, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.Export, null, new { from, to }, ct);
        ctx.Response.ContentType = "text/tab-separated-values; charset=utf-8";
        ctx.Response.Headers.ContentDisposition = "attachment; filename=\"moderator-decisions.tsv\"";
        await using var writer = new StreamWriter(ctx.Response.Body, new System.Text.UTF8Encoding(false), 64 * 1024);
        await export.WriteAsync(writer, from?.ToUniversalTime(), to?.ToUniversalTime(), ct);
        await writer.FlushAsync(ct);
    }

    private static Dictionary<string, string[]> ValidateDecision(string? action, string? reason, string? notes, IReadOnlyList<int>? categories)
    {
        var errors = new Dictionary<string, string[]>();
        if (action is null || !ReviewActions.All.Contains(action))
            errors["action"] = [$"action must be one of {string.Join(", ", ReviewActions.All)}."];
        if (string.IsNullOrWhiteSpace(reason)) errors["reason"] = ["reason is required: say why, for the record."];
        else if (reason.Length > MaxReason) errors["reason"] = [$"reason is at most {MaxReason} characters."];
        if (notes is { Length: > MaxNote }) errors["notes"] = [$"notes is at most {MaxNote} characters."];
        if (categories is not null)
        {
            if (action != ReviewActions.Confirm) errors["categories"] = ["categories apply to confirm only."];
            else if (categories.Count == 0 || categories.Any(c => !ProhibitedCategories.Default.IsKnown(c)))
                errors["categories"] = ["categories must be one or more codes 1-9 (clause 1.3)."];
        }
        return errors;
    }

    private static int? ParseInt(string? value, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        errors[name] = [$"{name} must be a whole number from {min} to {max}."];
        return null;
    }

    /// <summary>Ages as ISO-8601-ish minutes ("90") or a TimeSpan ("1.02:00:00").</summary>
    private static TimeSpan? ParseAge(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)) return TimeSpan.FromMinutes(minutes);
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero) return span;
        errors[name] = [$"{name} must be minutes (e.g. 90) or a time span (e.g. 1.02:00:00)."];
        return null;
    }

    private static IResult NotFound(Guid id) =>
        Results.Problem(title: "Not found", detail: $"No quarantine item {id}.", statusCode: StatusCodes.Status404NotFound);

    private static IResult Failure(CommandResult r) => Results.Problem(
        title: r.Outcome switch { Outcome.NotFound => "Not found", Outcome.Forbidden => "Not your queue", _ => "Conflict" },
        detail: r.Detail,
        statusCode: r.Outcome switch
        {
            Outcome.NotFound => StatusCodes.Status404NotFound,
            Outcome.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status409Conflict,
        },
        extensions: r.Status is null ? null : new Dictionary<string, object?> { ["status"] = r.Status });

}
