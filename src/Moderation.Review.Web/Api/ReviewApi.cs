using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Moderation.Contracts;
using Moderation.Core.Taxonomy;
using Moderation.Review.Api.Validation;
using Moderation.Review.Auth;
using Moderation.Review.Data;
using Moderation.Review.Messaging;
using Moderation.Storage.Review;

namespace Moderation.Review.Api;

public static class ReviewApi
{
    public const int MaxReason = 2000;
    public const int MaxNote = 4000;

    public static IServiceCollection AddReviewApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        // A body that names a property twice ({"action":"release","action":"confirm"}) is ambiguous: refuse it.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.AllowDuplicateProperties = false);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, context, _) =>
        {
            // The servers come from configuration, never from the request's Host header (which anyone can set).
            var url = context.ApplicationServices.GetRequiredService<IOptions<ReviewOptions>>().Value.PublicUrl;
            document.Servers = url is null ? [] : [new OpenApiServer { Url = url }];
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication MapReviewApi(this WebApplication app)
    {
        app.MapOpenApi();
        // Every /api endpoint, now and later, gets the one input-validation layer (InputValidationFilter).
        var api = app.MapGroup("/api").ValidateInput();

        var auth = api.MapGroup("/auth").WithTags("auth");
        auth.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting(SecurityExtensions.LoginRateLimit)
            .WithMetadata(new AuditRejectedInput(AuditRejectedLoginAsync))
            .WithSummary("Log in with a configured user; starts a server-side session (cookie). Send header X-Moderation-Csrf: 1.");
        auth.MapPost("/logout", Logout).WithSummary("End the cookie session (any authentication method may call it; an API key is revoked in configuration).");
        api.MapGet("/me", (HttpContext ctx) => Me(ctx)).WithTags("auth").WithSummary("Who am I, with which roles (and which session).");

        var read = api.MapGroup("").RequireAuthorization(ReviewPolicies.Read).WithTags("queue");
        read.MapGet("/taxonomy", () => ProhibitedCategories.Default.All).WithSummary("The nine clause-1.3 categories and their sub-labels.");
        read.MapGet("/queue", Queue).WithSummary("The open queue: filters, sort by severity or age, keyset paging via 'after'.");
        read.MapGet("/items/{id:guid}", Item).WithSummary("One item: text, hits with offsets, scores, versions, record metadata (audited), notes, the author's earlier decisions.");

        var act = api.MapGroup("/items").RequireAuthorization(ReviewPolicies.Act).WithTags("decisions");
        act.MapPost("/{id:guid}/claim", Claim).WithSummary("Claim an item with an expiring lease; 409 when someone else holds it or you hold the most open claims one person may.");
        act.MapPost("/{id:guid}/unclaim", Unclaim).WithSummary("Give a claimed item back to the queue.");
        act.MapPost("/{id:guid}/decision", Decide).WithSummary("confirm | release | escalate, with a required reason; needs your live claim.");
        act.MapPost("/{id:guid}/notes", Note).WithSummary("Add a note (a row with you as author) to an open item of your queue.");
        api.MapPost("/items/bulk-decision", Bulk).RequireAuthorization(ReviewPolicies.Supervise).WithTags("decisions")
            .WithSummary("Supervisors: decide many items at once, overriding claims.");

        api.MapGet("/audit", Audit).RequireAuthorization(ReviewPolicies.Audit).WithTags("audit")
            .WithSummary("The append-only audit log, newest first; page with 'before'.");
        api.MapGet("/export/training.tsv", Export).RequireAuthorization(ReviewPolicies.Export).WithTags("export")
            .WithSummary("Confirmed/released items as labelled TSV rows (text, orig_label, cat, split, source) for the train command.");

        api.MapSessionsApi();
        return app;
    }

    private static async Task<IResult> Login(LoginRequest? body, HttpContext ctx, ReviewerDirectory directory, ReviewSessionManager sessions,
        IAuditLog audit, CancellationToken ct)
    {
        var errors = new ApiErrors();
        if (string.IsNullOrWhiteSpace(body?.Name)) errors.Add("name", "name is required.");
        if (string.IsNullOrEmpty(body?.Password)) errors.Add("password", "password is required.");
        if (errors.Any) return errors.Problem();

        var account = directory.CheckPassword(body!.Name!, body.Password!);
        if (account is null)
        {
            await audit.AppendAsync(Actor.Anonymous(ctx, body.Name!).ForStore(), AuditActions.LoginFailed, null, null, ct);
            return Results.Problem(title: "Login failed", detail: "Unknown user or wrong password.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var sessionId = await sessions.SignInAsync(ctx, account, ct);
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.Login, null, new { sessionId }, ct);
        return Results.Ok(Me(ctx));
    }

    /// <summary>A login refused for its input (a NUL in the name, an over-long password) is a failed login all the same.</summary>
    private static Task AuditRejectedLoginAsync(EndpointFilterInvocationContext invocation, ApiErrors errors)
    {
        var ctx = invocation.HttpContext;
        var name = invocation.Arguments.OfType<LoginRequest>().FirstOrDefault()?.Name ?? "";
        return ctx.RequestServices.GetRequiredService<IAuditLog>().AppendAsync(Actor.Anonymous(ctx, name).ForStore(), AuditActions.LoginFailed, null,
            new { reason = "invalid input", fields = errors.ToDictionary().Keys }, ctx.RequestAborted);
    }

    private static async Task<IResult> Logout(HttpContext ctx, ReviewSessionManager sessions, IAuditLog audit, CancellationToken ct)
    {
        var actor = Actor.From(ctx);
        var cookie = ctx.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme;
        // A cookie session's logout row is written with its revocation, in one transaction; an API key has no session.
        if (!cookie || !await sessions.SignOutAsync(ctx, actor, ct))
            await audit.AppendAsync(actor.ForStore(), AuditActions.Logout, null, null, ct);
        return Results.NoContent();
    }

    private static Me Me(HttpContext ctx)
    {
        var actor = Actor.From(ctx);
        return new Me(actor.Name, actor.Roles, actor.AuthMethod, ReviewSessionManager.SessionIdOf(ctx.User));
    }

    private static async Task<IResult> Queue(HttpContext ctx, IReviewQueue queue, IOptions<ReviewOptions> options,
        string? status, string? sort, string? category, string? subLabel, string? minSeverity, string? platform, string? serviceType,
        string? minAge, string? maxAge, string? unclaimed, string? limit, string? after, CancellationToken ct)
    {
        var errors = new ApiErrors();
        var st = ApiInput.OneOf(status, "status", [ReviewStatuses.Pending, ReviewStatuses.Escalated], ReviewStatuses.Pending, errors);
        var so = ApiInput.OneOf(sort, "sort", [QueueQuery.SortSeverity, QueueQuery.SortAge], QueueQuery.SortSeverity, errors);
        var cat = ApiInput.WholeNumber(category, "category", 1, 9, errors);
        var sev = ApiInput.WholeNumber(minSeverity, "minSeverity", 0, 100, errors);
        var lim = ApiInput.WholeNumber(limit, "limit", 1, options.Value.MaxPageSize, errors) ?? 50;
        var min = ApiInput.Age(minAge, "minAge", errors);
        var max = ApiInput.Age(maxAge, "maxAge", errors);
        if (serviceType is not null) ApiInput.OneOf(serviceType, "serviceType", ServiceTypes.All, "", errors);
        if (subLabel is { Length: > 100 }) errors.Add("subLabel", "subLabel is at most 100 characters.");
        QueueCursor? cursor = null;
        if (after is not null && !QueueCursor.TryDecode(after, out cursor)) errors.Add("after", "after is not a cursor this API returned.");
        var unclaimedOnly = ApiInput.Flag(unclaimed, "unclaimed", errors) ?? false;
        if (errors.Any) return errors.Problem();

        var page = await queue.ListAsync(new QueueQuery(st, so, cat, subLabel, sev, platform, serviceType, min, max, unclaimedOnly, lim, cursor), ct);
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
        var result = await commands.ClaimAsync(actor.ForStore(), id, options.Value.ClaimLease, options.Value.MaxOpenClaimsPerPerson, ct);
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
        var errors = ValidateDecision(body?.Action, body?.Reason, body?.Categories);
        if (errors.Any) return errors.Problem();
        var result = await commands.DecideAsync(Actor.From(ctx).ForStore(), id,
            new DecideCommand(body!.Action!, body.Reason!.Trim(), body.Notes, Deduplicated(body.Categories)), overrideClaim: false, options.Value.ReportDue, ct);
        await outbox.PublishCommittedAsync(result.Events, ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new DecisionResponse(id, result.Status!)) : Failure(result);
    }

    private static async Task<IResult> Bulk(BulkDecisionRequest? body, HttpContext ctx, IReviewCommands commands, ReviewOutbox outbox, IOptions<ReviewOptions> options, CancellationToken ct)
    {
        var errors = ValidateDecision(body?.Action, body?.Reason, null);
        var ids = body?.DecisionIds ?? [];
        if (ids.Count == 0) errors.Add("decisionIds", "decisionIds needs at least one id.");
        else if (ids.Count > options.Value.MaxBulkItems) errors.Add("decisionIds", $"decisionIds holds at most {options.Value.MaxBulkItems} ids.");
        if (errors.Any) return errors.Problem();

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
        if (string.IsNullOrWhiteSpace(body?.Text))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"text is required, at most {MaxNote} characters."] });
        var result = await commands.AddNoteAsync(Actor.From(ctx).ForStore(), id, body.Text, ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new DecisionResponse(id, result.Status!)) : Failure(result);
    }

    private static async Task<IResult> Audit(HttpContext ctx, IAuditLog audit, string? decisionId, string? actor, string? before, string? limit, CancellationToken ct)
    {
        var errors = new ApiErrors();
        var lim = ApiInput.WholeNumber(limit, "limit", 1, 1000, errors) ?? 100;
        var beforeId = ApiInput.LargeWholeNumber(before, "before", 1, long.MaxValue, errors);
        var decision = ApiInput.Id(decisionId, "decisionId", errors);
        if (errors.Any) return errors.Problem();
        var entries = await audit.ListAsync(decision, actor, beforeId, lim, ct);
        // The audit log holds reviewers' IP addresses: reading it is itself audited.
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.ViewAuditLog, decision, new { actor, before = beforeId, limit = lim, rows = entries.Count }, ct);
        return Results.Ok(entries);
    }

    private static async Task<IResult> Export(HttpContext ctx, TrainingExport export, IAuditLog audit, string? from, string? to, CancellationToken ct)
    {
        var errors = new ApiErrors();
        var start = ApiInput.Time(from, "from", errors);
        var end = ApiInput.Time(to, "to", errors);
        if (errors.Any) return errors.Problem();
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.Export, null, new { from = start, to = end }, ct);
        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 64 * 1024);
            await export.WriteAsync(writer, start, end, ct);
            await writer.FlushAsync(ct);
        }, "text/tab-separated-values; charset=utf-8", "moderator-decisions.tsv");
    }

    private static ApiErrors ValidateDecision(string? action, string? reason, IReadOnlyList<int>? categories)
    {
        var errors = new ApiErrors();
        if (action is null || !ReviewActions.All.Contains(action))
            errors.Add("action", $"action must be one of {string.Join(", ", ReviewActions.All)}.");
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("reason", "reason is required: say why, for the record.");
        if (categories is not null)
        {
            if (action != ReviewActions.Confirm) errors.Add("categories", "categories apply to confirm only.");
            else if (categories.Count == 0 || categories.Any(c => !ProhibitedCategories.Default.IsKnown(c)))
                errors.Add("categories", "categories must be one or more codes 1-9 (clause 1.3).");
        }
        return errors;
    }

    /// <summary>Each code once, in the order given (the first is the one the training export uses).</summary>
    private static IReadOnlyList<int>? Deduplicated(IReadOnlyList<int>? categories) => categories?.Distinct().ToList();

    private static IResult NotFound(Guid id) =>
        Results.Problem(title: "Not found", detail: $"No quarantine item {id}.", statusCode: StatusCodes.Status404NotFound);

    internal static IResult Failure(CommandResult r) => Results.Problem(
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
