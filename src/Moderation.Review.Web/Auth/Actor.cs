using System.Net;
using System.Security.Claims;
using Moderation.Storage.Review;

namespace Moderation.Review.Auth;

/// <summary>Who is acting, and from where: the "who" and "from where" of every audit row.</summary>
public sealed record Actor(string Name, IReadOnlyList<string> Roles, string AuthMethod, IPAddress? Ip, string? UserAgent)
{
    /// <summary>The actor of what the app does by itself (ending a session whose user was removed). Configured names may not start with "(".</summary>
    public const string SystemName = "(review app)";

    public bool IsSupervisor => Roles.Contains(ReviewRoles.Supervisor) || Roles.Contains(ReviewRoles.Admin);

    /// <summary>As the stores record it (they clean and cap every string: <see cref="AuditText"/>).</summary>
    public ReviewActor ForStore() => new(Name, Roles, AuthMethod, Address(Ip), UserAgent, IsSupervisor);

    public static Actor From(HttpContext ctx)
    {
        var user = ctx.User;
        var name = user.Identity?.Name ?? throw new InvalidOperationException("Actor requested on an anonymous request.");
        return new Actor(
            name,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
            user.FindFirstValue(ReviewerDirectory.AuthMethodClaim) ?? "unknown",
            ctx.Connection.RemoteIpAddress,
            UserAgentOf(ctx));
    }

    /// <summary>Someone not (yet) signed in, e.g. a failed login, named as they named themselves.</summary>
    public static Actor Anonymous(HttpContext ctx, string claimedName) =>
        new(claimedName, [], ReviewerDirectory.PasswordMethod, ctx.Connection.RemoteIpAddress, UserAgentOf(ctx));

    /// <summary>The client's address (an IPv4 address mapped into IPv6 written as plain IPv4) and user agent.</summary>
    public static (string? Ip, string? UserAgent) ClientOf(HttpContext ctx) => (Address(ctx.Connection.RemoteIpAddress), UserAgentOf(ctx));

    private static string? Address(IPAddress? ip) => ip is null ? null : (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();

    private static string? UserAgentOf(HttpContext ctx)
    {
        var agent = ctx.Request.Headers.UserAgent.ToString();
        return agent.Length == 0 ? null : agent;
    }
}
