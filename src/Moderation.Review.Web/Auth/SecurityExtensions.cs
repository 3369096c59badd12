using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Moderation.Review.Api.Validation;

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

    /// <summary>Sent on every response to a request that arrived over HTTPS (directly, or from a trusted proxy that says so).</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public static IServiceCollection AddReviewSecurity(this IServiceCollection services)
    {
        services.AddSingleton<ReviewerDirectory>();
        services.AddSingleton<ReviewSessionManager>();
        services.AddSingleton<ReviewCookieEvents>();
        services.AddSingleton<LoginThrottle>();
        services.AddHostedService<SessionSweeper>();
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
                // Secure whenever the request is HTTPS; behind a trusted proxy, X-Forwarded-Proto decides (UseReviewSecurity).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The server-side session decides (idle timeout, absolute lifetime, revocation): the ticket itself only
                // lives as long as the absolute lifetime, and is never re-issued.
                o.SlidingExpiration = false;
                o.EventsType = typeof(ReviewCookieEvents);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<ReviewOptions>, TimeProvider>((o, review, time) =>
            {
                o.ExpireTimeSpan = review.Value.SessionLifetime;
                o.TimeProvider = time;
            });

        services.AddAuthorizationBuilder()
            // Nothing is anonymous unless an endpoint says so (only login and the static page shell do).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ReviewPolicies.Read, p => p.RequireRole(ReviewRoles.Moderator, ReviewRoles.Supervisor, ReviewRoles.Auditor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Act, p => p.RequireRole(ReviewRoles.Moderator, ReviewRoles.Supervisor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Supervise, p => p.RequireRole(ReviewRoles.Supervisor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Audit, p => p.RequireRole(ReviewRoles.Auditor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Export, p => p.RequireRole(ReviewRoles.Supervisor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.Admin, p => p.RequireRole(ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.ComplianceRead, p => p.RequireRole(ReviewRoles.Compliance, ReviewRoles.Auditor, ReviewRoles.Admin))
            .AddPolicy(ReviewPolicies.ComplianceAct, p => p.RequireRole(ReviewRoles.Compliance));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => context.HttpContext.RequestServices.GetRequiredService<LoginThrottle>().OnRejectedAsync(context, ct);
            o.AddPolicy(LoginRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = ctx.RequestServices.GetRequiredService<IOptions<ReviewOptions>>().Value.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });

        services.AddExceptionHandler<ApiExceptionHandler>();
        // Unreadable requests reach ApiExceptionHandler as exceptions in every environment, so it can name the field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseReviewSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ReviewOptions>>().Value;
        // Outermost, and at response start: every response gets the headers, whoever writes it (an endpoint, the
        // exception handler after it cleared the response, the rate limiter, status code pages).
        app.Use(static (ctx, next) =>
        {
            ctx.Response.OnStarting(static state => SetSecurityHeaders((HttpContext)state), ctx);
            return next(ctx);
        });

        // Before everything that reads the client's address or scheme (rate limits, the audit log's "from where",
        // the cookie's Secure flag, HSTS, the Origin check).
        if (options.TrustedProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies)
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
        app.Use((ctx, next) => LimitBody(ctx, next, options.MaxRequestBodyBytes));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = ReviewPage.Files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = ReviewPage.Files });
        app.UseAuthentication();
        app.Use(RejectCrossSiteWrites);
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static Task SetSecurityHeaders(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        if (ctx.Request.IsHttps)
            h.StrictTransportSecurity = StrictTransportSecurity;
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            h.CacheControl = "no-store";
        return Task.CompletedTask;
    }

    /// <summary>
    /// The API reads at most <see cref="ReviewOptions.MaxRequestBodyBytes"/>: a declared larger body is refused before
    /// it is read, and the server stops reading an undeclared (chunked) one there (a 413 either way).
    /// </summary>
    private static async Task LimitBody(HttpContext ctx, RequestDelegate next, long limit)
    {
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            if (ctx.Request.ContentLength > limit)
            {
                await Results.Problem(title: "The request body is too large.", detail: $"The API reads at most {limit} bytes.",
                    statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(ctx);
                return;
            }
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit;
        }
        await next(ctx);
    }

    /// <summary>
    /// Second CSRF wall, for cookie sessions (API-key clients carry no ambient credential): a state-changing
    /// call must carry <see cref="CsrfHeader"/>, which a cross-site form cannot send and cross-site script
    /// cannot send without a CORS preflight we never grant, and must not come from a foreign Origin.
    /// Login is covered too (it has no session yet), so nobody can log a victim into an attacker's session.
    /// </summary>
    private static async Task RejectCrossSiteWrites(HttpContext ctx, Func<Task> next)
    {
        var request = ctx.Request;
        var unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var apiKey = ApiKeyAuthenticationHandler.IsPresent(request);
        var cookieSession = ctx.User.Identity?.IsAuthenticated == true && !apiKey;
        var login = !apiKey && request.Path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase);
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
