using Microsoft.Extensions.Options;
using Moderation.Review.Api.Validation;
using Moderation.Review.Auth;
using Moderation.Storage.Review;

namespace Moderation.Review.Api;

/// <summary>Admins: the live page sessions, and revoking one or all of a user's (the next request with that cookie gets 401).</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").RequireAuthorization(ReviewPolicies.Admin).WithTags("sessions");
        sessions.MapGet("", List).WithSummary("Live page sessions (not ended, not idle, within their lifetime), newest first; ?user= for one user. Audited.");
        sessions.MapPost("/{id:guid}/revoke", Revoke).WithSummary("End one session now. 404 when it is not live.");
        sessions.MapPost("/revoke-user", RevokeUser).WithSummary("End every live session of one user now.");
        return api;
    }

    private static async Task<IResult> List(HttpContext ctx, IReviewSessions store, IAuditLog audit, IOptions<ReviewOptions> options, TimeProvider time,
        string? user, string? limit, CancellationToken ct)
    {
        var errors = new ApiErrors();
        var lim = ApiInput.WholeNumber(limit, "limit", 1, 1000, errors) ?? 200;
        if (errors.Any) return errors.Problem();
        var now = time.GetUtcNow();
        var idle = options.Value.SessionIdleTimeout;
        var live = await store.ListLiveAsync(user, now, now - idle, lim, ct);
        var current = ReviewSessionManager.SessionIdOf(ctx.User);
        // Reviewers' addresses: listing them is audited, like reading the audit log.
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditActions.ViewSessions, null, new { user, rows = live.Count }, ct);
        return Results.Ok(live.Select(s => new SessionView(s.SessionId, s.UserName, s.Roles, s.AuthMethod, s.CreatedAt, s.LastSeenAt,
            s.LastSeenAt + idle < s.ExpiresAt ? s.LastSeenAt + idle : s.ExpiresAt, s.ClientIp, s.UserAgent, s.SessionId == current)).ToList());
    }

    private static async Task<IResult> Revoke(Guid id, HttpContext ctx, IReviewSessions store, TimeProvider time, CancellationToken ct) =>
        await store.RevokeAsync(id, Actor.From(ctx).ForStore(), AuditActions.SessionRevoke, SessionEndReasons.RevokedByAdmin, time.GetUtcNow(), ct)
            ? Results.NoContent()
            : Results.Problem(title: "Not found", detail: $"No live session {id}.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> RevokeUser(RevokeUserRequest? body, HttpContext ctx, IReviewSessions store, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.User))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["user"] = ["user is required."] });
        var count = await store.RevokeUserAsync(body.User, Actor.From(ctx).ForStore(), AuditActions.SessionRevoke, SessionEndReasons.RevokedByAdmin, time.GetUtcNow(), ct);
        return Results.Ok(new RevokedSessions(count));
    }
}
