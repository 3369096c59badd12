using System.Net;
using System.Security.Claims;
using Moderation.Storage.Review;

namespace Moderation.Review.Auth;

/// <summary>Who is acting, and from where: the "who" and "from where" of every audit row.</summary>
public sealed record Actor(string Name, IReadOnlyList<string> Roles, string AuthMethod, IPAddress? Ip, string? UserAgent)
{
    public bool IsSupervisor => Roles.Contains(ReviewRoles.Supervisor) || Roles.Contains(ReviewRoles.Admin);

    /// <summary>As the stores record it; an IPv4 address mapped into IPv6 is written as plain IPv4.</summary>
    public ReviewActor ForStore() =>
        new(Name, Roles, AuthMethod, Ip is null ? null : (Ip.IsIPv4MappedToIPv6 ? Ip.MapToIPv4() : Ip).ToString(), UserAgent, IsSupervisor);

    public static Actor From(HttpContext ctx)
    {
        var user = ctx.User;
        var name = user.Identity?.Name ?? throw new InvalidOperationException("Actor requested on an anonymous request.");
        var agent = ctx.Request.Headers.UserAgent.ToString();
        return new Actor(
            name,
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray(),
            user.FindFirstValue(ReviewerDirectory.AuthMethodClaim) ?? "unknown",
            ctx.Connection.RemoteIpAddress,
            agent.Length == 0 ? null : agent.Length > 300 ? agent[..300] : agent);
    }
}
