using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Moderation.Storage.Review;

namespace Moderation.Review.Auth;

/// <summary>
/// Server-side sessions for the page. The cookie (encrypted by ASP.NET Core Data Protection, as any auth cookie) carries
/// a random 256-bit token; the review database holds only its SHA-256 (<see cref="IReviewSessions"/>). Every request
/// with the cookie looks the session up (<see cref="ValidateAsync"/>) and is refused (401, cookie deleted) once the
/// session was logged out or revoked by an admin, has been idle longer than <see cref="ReviewOptions.SessionIdleTimeout"/>,
/// is older than <see cref="ReviewOptions.SessionLifetime"/>, or its user was removed from configuration or has other
/// roles or another password hash than at login. Roles always come from the configuration, never from the cookie.
/// </summary>
public sealed class ReviewSessionManager(IReviewSessions store, ReviewerDirectory directory, IOptions<ReviewOptions> options, TimeProvider time)
{
    public const string TokenClaim = "moderation:session-token";
    public const string SessionIdClaim = "moderation:session-id";
    private const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>How stale last_seen_at may get before a request writes it (a write per request would be wasted).</summary>
    private TimeSpan TouchEvery => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, options.Value.SessionIdleTimeout.Ticks / 10));

    /// <summary>Creates the session row and sets the cookie. Returns the session id (shown to admins, never a secret).</summary>
    public async Task<Guid> SignInAsync(HttpContext ctx, ReviewerAccount account, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now + options.Value.SessionLifetime;
        var id = Guid.NewGuid();
        var actor = Actor.ClientOf(ctx);
        await store.CreateAsync(new NewSession(id, Hash(token), account.Name, account.Roles, ReviewerDirectory.PasswordMethod, account.Fingerprint,
            now, expires, actor.Ip, actor.UserAgent), ct);
        var principal = PrincipalFor(account, token, id);
        await ctx.SignInAsync(Scheme, principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = expires, AllowRefresh = false });
        ctx.User = principal;
        return id;
    }

    /// <summary>The cookie handler's ValidatePrincipal: the session must be live and its user configured as at login.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var ctx = context.HttpContext;
        var ct = ctx.RequestAborted;
        var token = context.Principal?.FindFirstValue(TokenClaim);
        var session = token is null ? null : await store.FindByTokenAsync(Hash(token), ct);
        if (session is null || session.IsRevoked)
        {
            await RejectAsync(context);
            return;
        }
        var now = time.GetUtcNow();
        var account = directory.Find(session.UserName);
        var end = now >= session.ExpiresAt ? SessionEndReasons.LifetimeOver
            : now - session.LastSeenAt > options.Value.SessionIdleTimeout ? SessionEndReasons.IdleTimeout
            : account is null ? SessionEndReasons.UserRemoved
            : !string.Equals(account.Fingerprint, session.Fingerprint, StringComparison.Ordinal) ? SessionEndReasons.RolesChanged
            : null;
        if (end is not null)
        {
            var client = Actor.ClientOf(ctx);
            // The app ends it, so the app is the actor; the user it belonged to is in the details.
            await store.RevokeAsync(session.SessionId, new ReviewActor(Actor.SystemName, [], "system", client.Ip, client.UserAgent, false),
                AuditActions.SessionEnd, end, now, ct);
            await RejectAsync(context);
            return;
        }
        context.ReplacePrincipal(PrincipalFor(account!, token!, session.SessionId));
        if (now - session.LastSeenAt >= TouchEvery)
            await store.TouchAsync(session.SessionId, now, ct);
    }

    /// <summary>Logout: ends the caller's session (with its audit row) and deletes the cookie. False when it had already ended.</summary>
    public async Task<bool> SignOutAsync(HttpContext ctx, Actor actor, CancellationToken ct)
    {
        var ended = false;
        if (ctx.User.FindFirstValue(SessionIdClaim) is { } sid && Guid.TryParse(sid, out var id))
            ended = await store.RevokeAsync(id, actor.ForStore(), AuditActions.Logout, SessionEndReasons.Logout, time.GetUtcNow(), ct);
        await ctx.SignOutAsync(Scheme);
        return ended;
    }

    public static Guid? SessionIdOf(ClaimsPrincipal user) =>
        user.FindFirstValue(SessionIdClaim) is { } sid && Guid.TryParse(sid, out var id) ? id : null;

    private static ClaimsPrincipal PrincipalFor(ReviewerAccount account, string token, Guid id) =>
        ReviewerDirectory.Principal(account.Name, account.Roles, ReviewerDirectory.PasswordMethod, Scheme,
            [new Claim(TokenClaim, token), new Claim(SessionIdClaim, id.ToString("D"))]);

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>The cookie handler's events: every request checks its server-side session; an API answers 401/403, never a redirect.</summary>
public sealed class ReviewCookieEvents(ReviewSessionManager sessions) : CookieAuthenticationEvents
{
    public override Task ValidatePrincipal(CookieValidatePrincipalContext context) => sessions.ValidateAsync(context);

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}

/// <summary>Deletes sessions that ended more than a week ago, hourly, so the table holds live sessions and recent history.</summary>
public sealed class SessionSweeper(IReviewSessions store, TimeProvider time, ILogger<SessionSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan KeepEnded = TimeSpan.FromDays(7);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await store.PurgeAsync(time.GetUtcNow() - KeepEnded, stoppingToken);
                if (purged > 0) logger.LogInformation("Purged {Count} ended review sessions.", purged);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Purging ended review sessions failed; retrying in an hour.");
            }
        }
    }
}
