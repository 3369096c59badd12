using Microsoft.AspNetCore.HttpOverrides;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Moderation.Review.Auth;

public static class SecurityExtensions
{
    /// <summary>Browsers must send this header on every state-changing call (see <see cref="UseReviewSecurity"/>).</summary>
    public const string CsrfHeader = "X-Moderation-Csrf";
    public const string LoginRateLimit = "login";
    private const string SelectScheme = "Review";

    /// <summary>
    /// The page's Content-Security-Policy: scripts and styles only from our own files, nothing inline,
    /// no plugins, no framing, no base-URI tricks. Post text is rendered with textContent anyway; this
    /// is the second wall.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

    public static IServiceCollection AddReviewSecurity(this IServiceCollection services)
    {
        services.AddSingleton<ReviewerDirectory>();
        services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, "cookie for the page, API key for clients", o =>
                o.ForwardDefaultSelector = ctx => ApiKeyAuthenticationHandler.IsPresent(ctx.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "moderation.review";
                o.Cookie.HttpOnly = true;
                // Strict: the cookie never rides on a request another site starts (first CSRF wall).
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An API answers with status codes, not redirects to a login page.
                o.Events.OnRedirectToLogin = ctx => { ctx.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = ctx => { ctx.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            // Nothing is anonymous unless an endpoint says so (only login and the static page shell do).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ReviewPolicies.Read, p => p.RequireRole(ReviewRoles.Moderator, ReviewRoles.Supervisor, ReviewRoles.Auditor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Act, p => p.RequireRole(ReviewRoles.Moderator, ReviewRoles.Supervisor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Supervise, p => p.RequireRole(ReviewRoles.Supervisor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Audit, p => p.RequireRole(ReviewRoles.Auditor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Export, p => p.RequireRole(ReviewRoles.Supervisor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.ComplianceRead, p => p.RequireRole(ReviewRoles.Compliance, ReviewRoles.Auditor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.ComplianceAct, p => p.RequireRole(ReviewRoles.Compliance));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    public static WebApplication UseReviewSecurity(this WebApplication app)
    {
        // First, so that every later step (rate limits, the audit log's "from where") sees the real client.
        var proxies = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReviewOptions>>().Value.TrustedProxies;
        if (proxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                if (System.Net.IPAddress.TryParse(proxy, out var address))
                    forwarded.KnownProxies.Add(address);
                else
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
            app.UseForwardedHeaders(forwarded);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(static (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.ContentSecurityPolicy = ContentSecurityPolicy;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                h.CacheControl = "no-store";
            return next(ctx);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = ReviewPage.Files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = ReviewPage.Files });
        app.UseAuthentication();
        app.Use(RejectCrossSiteWrites);
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Second CSRF wall, for cookie sessions (API-key clients carry no ambient credential): a state-changing
    /// call must carry <see cref="CsrfHeader"/>, which a cross-site form cannot send and cross-site script
    /// cannot send without a CORS preflight we never grant, and must not come from a foreign Origin.
    /// Login is covered too, so nobody can log a victim into an attacker's session.
    /// </summary>
    private static async Task RejectCrossSiteWrites(HttpContext ctx, Func<Task> next)
    {
        var request = ctx.Request;
        var unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var cookieSession = ctx.User.Identity?.IsAuthenticated == true && !ApiKeyAuthenticationHandler.IsPresent(request);
        var login = request.Path.StartsWithSegments("/api/auth", StringComparison.OrdinalIgnoreCase);
        if (unsafeMethod && (cookieSession || login))
        {
            string? problem = null;
            if (request.Headers[CsrfHeader] != "1")
                problem = $"State-changing requests from the page must carry the header '{CsrfHeader}: 1'.";
            else if (request.Headers.Origin is { Count: > 0 } origin
                     && !string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
                problem = $"Origin '{origin}' is not this site.";
            if (problem is not null)
            {
                await Results.Problem(title: "Cross-site request refused", detail: problem, statusCode: StatusCodes.Status403Forbidden)
                    .ExecuteAsync(ctx);
                return;
            }
        }
        await next();
    }
}
