using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Moderation.Review.Auth;

/// <summary>The configured users and API keys. Passwords are checked with ASP.NET Core Identity's PBKDF2 hasher.</summary>
public sealed class ReviewerDirectory
{
    public const string AuthMethodClaim = "moderation:auth";
    private const string DevelopmentUser = "dev";

    private readonly Dictionary<string, ReviewUserOptions> _users;
    private readonly Dictionary<string, ReviewApiKeyOptions> _keysByHash;
    private readonly PasswordHasher<string> _hasher = new();
    private readonly string _dummyHash;

    public ReviewerDirectory(IOptions<ReviewOptions> options, IHostEnvironment environment, ILogger<ReviewerDirectory> logger)
    {
        var o = options.Value;
        _users = o.Users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);
        _keysByHash = o.ApiKeys.ToDictionary(k => k.KeySha256.ToLowerInvariant(), StringComparer.Ordinal);
        _dummyHash = _hasher.HashPassword("", "timing-equaliser");
        if (_users.Count == 0 && _keysByHash.Count == 0 && environment.IsDevelopment())
        {
            // Development only (the options validator refuses every other environment without users).
            _users[DevelopmentUser] = new ReviewUserOptions
            {
                Name = DevelopmentUser,
                PasswordHash = _hasher.HashPassword(DevelopmentUser, DevelopmentUser),
                Roles = [.. ReviewRoles.All],
            };
            logger.LogWarning("No reviewers configured: Development user 'dev' with password 'dev' and every role is enabled.");
        }
    }

    public ClaimsPrincipal? CheckPassword(string name, string password, string scheme)
    {
        if (!_users.TryGetValue(name, out var user))
        {
            // Spend the same PBKDF2 time whether or not the user exists.
            _hasher.VerifyHashedPassword("", _dummyHash, password);
            return null;
        }
        var result = _hasher.VerifyHashedPassword(user.Name, user.PasswordHash, password);
        return result == PasswordVerificationResult.Failed ? null : Principal(user.Name, user.Roles, "password", scheme);
    }

    public ClaimsPrincipal? CheckApiKey(string key, string scheme)
    {
        // API keys are long random strings, so a plain SHA-256 is enough (no brute-forceable secret).
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return _keysByHash.TryGetValue(hash, out var k) ? Principal(k.Name, k.Roles, "api-key", scheme) : null;
    }

    public static string HashPassword(string user, string password) => new PasswordHasher<string>().HashPassword(user, password);

    public static string HashApiKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static ClaimsPrincipal Principal(string name, IEnumerable<string> roles, string method, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(AuthMethodClaim, method) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
