using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Moderation.Review.Api;
using Moderation.Storage.Review;

namespace Moderation.Review.Auth;

/// <summary>
/// The login rate limit's refusals: a 429 problem with Retry-After, and an audit row (login.rate_limited) once per
/// client address and limiter window. Once, not per request: the audit log is append-only, so a flood of refused
/// logins must not be able to fill it (the limited attempts of one window are what the log needs to show).
/// </summary>
public sealed class LoginThrottle(IAuditLog audit, TimeProvider time, ILogger<LoginThrottle> logger)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _auditedUntil = new(StringComparer.Ordinal);

    public async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var ctx = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var now = time.GetUtcNow();
        var client = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var until = now + TimeSpan.FromSeconds(seconds);
        var first = false;
        _auditedUntil.AddOrUpdate(client, _ => { first = true; return until; }, (_, previous) =>
        {
            if (previous > now) return previous;
            first = true;
            return until;
        });
        if (first)
        {
            if (_auditedUntil.Count > 10_000)
                foreach (var stale in _auditedUntil.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                    _auditedUntil.TryRemove(stale, out _);
            try
            {
                var name = await ClaimedNameAsync(ctx.Request, ct) ?? "(unknown)";
                await audit.AppendAsync(Actor.Anonymous(ctx, name).ForStore(), AuditActions.LoginRateLimited, null,
                    new { retryAfterSeconds = seconds, reason = "too many login attempts from this address" }, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Auditing a rate-limited login failed.");
            }
        }
        await Results.Problem(title: "Too many login attempts.", detail: $"Try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(ctx);
    }

    /// <summary>The name the refused attempt gave, when its body is small and readable; it says which account is being guessed.</summary>
    private static async Task<string?> ClaimedNameAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is not (> 0 and <= 4096) || request.HasJsonContentType() is false)
            return null;
        try
        {
            return (await request.ReadFromJsonAsync<LoginRequest>(ct))?.Name;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or BadHttpRequestException or InvalidOperationException)
        {
            return null;
        }
    }
}
