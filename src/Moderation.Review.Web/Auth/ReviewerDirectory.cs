using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Moderation.Review.Auth;

/// <summary>A configured page user as the app sees them now: name, roles, and the fingerprint of both plus the credential.</summary>
public sealed record ReviewerAccount(string Name, IReadOnlyList<string> Roles, string Fingerprint);

/// <summary>
/// The configured users and API keys. Passwords are checked with ASP.NET Core Identity's PBKDF2 hasher. Configuration
/// is read at start-up: after a user is removed or their roles or password hash change, the restarted app ends their
/// sessions at their next request (<see cref="ReviewSessionManager"/> compares <see cref="ReviewerAccount.Fingerprint"/>).
/// </summary>
public sealed class ReviewerDirectory
{
    public const string AuthMethodClaim = "moderation:auth";
    public const string PasswordMethod = "password";
    public const string ApiKeyMethod = "api-key";
    private const string DevelopmentUser = "dev";

    private readonly Dictionary<string, ReviewUserOptions> _users;
    private readonly Dictionary<string, ReviewerAccount> _accounts;
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
        _accounts = _users.Values.ToDictionary(u => u.Name, u => new ReviewerAccount(u.Name, u.Roles, Fingerprint(u)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The configured user of that name (as configured, whatever letter case was asked), or null.</summary>
    public ReviewerAccount? Find(string name) => _accounts.GetValueOrDefault(name);

    public ReviewerAccount? CheckPassword(string name, string password)
    {
        if (!_users.TryGetValue(name, out var user))
        {
            // Spend the same PBKDF2 time whether or not the user exists.
            _hasher.VerifyHashedPassword("", _dummyHash, password);
            return null;
        }
        var result = _hasher.VerifyHashedPassword(user.Name, user.PasswordHash, password);
        return result == PasswordVerificationResult.Failed ? null : _accounts[user.Name];
    }

    public ClaimsPrincipal? CheckApiKey(string key, string scheme)
    {
        // API keys are long random strings, so a plain SHA-256 is enough (no brute-forceable secret).
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return _keysByHash.TryGetValue(hash, out var k) ? Principal(k.Name, k.Roles, ApiKeyMethod, scheme, []) : null;
    }

    public static string HashPassword(string user, string password) => new PasswordHasher<string>().HashPassword(user, password);

    public static string HashApiKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static ClaimsPrincipal Principal(string name, IEnumerable<string> roles, string method, string scheme, IEnumerable<Claim> extra)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(AuthMethodClaim, method) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// SHA-256 over the name, the sorted roles and the password hash: any change to the user's configured roles or
    /// credential changes it. (The hash carries its own random salt, so even re-hashing the same password counts.)
    /// </summary>
    private static string Fingerprint(ReviewUserOptions user)
    {
        var text = string.Join('\n', ["v1", user.Name, string.Join(',', user.Roles.Order(StringComparer.Ordinal)), user.PasswordHash]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
