using Microsoft.Extensions.Options;
using Moderation.Review.Auth;

namespace Moderation.Review;

/// <summary>
/// Refuses to start with nonsense, and refuses to start outside Development with nobody configured:
/// there is no default password that works in production.
/// </summary>
internal sealed class ReviewOptionsValidator(IHostEnvironment environment) : IValidateOptions<ReviewOptions>
{
    public ValidateOptionsResult Validate(string? name, ReviewOptions o)
    {
        var errors = new List<string>();
        if (o.ClaimLease < TimeSpan.FromSeconds(30) || o.ClaimLease > TimeSpan.FromHours(8))
            errors.Add($"{ReviewOptions.Section}:ClaimLease must lie between 00:00:30 and 08:00:00 (got {o.ClaimLease}).");
        if (o.ReportDue <= TimeSpan.Zero || o.ReportDue > TimeSpan.FromDays(30))
            errors.Add($"{ReviewOptions.Section}:ReportDue must lie between 0 and 30 days (got {o.ReportDue}).");
        if (o.OutboxSweepInterval < TimeSpan.FromMilliseconds(100))
            errors.Add($"{ReviewOptions.Section}:OutboxSweepInterval must be at least 100 ms.");
        if (o.MaxPageSize is < 1 or > 1000)
            errors.Add($"{ReviewOptions.Section}:MaxPageSize must lie between 1 and 1000.");
        if (o.MaxBulkItems is < 1 or > 10_000)
            errors.Add($"{ReviewOptions.Section}:MaxBulkItems must lie between 1 and 10000.");
        if (o.SessionIdleTimeout < TimeSpan.FromMinutes(1) || o.SessionIdleTimeout > TimeSpan.FromHours(24))
            errors.Add($"{ReviewOptions.Section}:SessionIdleTimeout must lie between 00:01:00 and 1.00:00:00 (got {o.SessionIdleTimeout}).");
        if (o.SessionLifetime < o.SessionIdleTimeout || o.SessionLifetime > TimeSpan.FromDays(7))
            errors.Add($"{ReviewOptions.Section}:SessionLifetime must lie between SessionIdleTimeout and 7.00:00:00 (got {o.SessionLifetime}).");
        if (o.MaxOpenClaimsPerPerson is < 1 or > 10_000)
            errors.Add($"{ReviewOptions.Section}:MaxOpenClaimsPerPerson must lie between 1 and 10000.");
        if (o.LoginAttemptsPerMinute is < 1 or > 10_000)
            errors.Add($"{ReviewOptions.Section}:LoginAttemptsPerMinute must lie between 1 and 10000.");
        if (o.MaxRequestBodyBytes is < 4096 or > 64 * 1024 * 1024)
            errors.Add($"{ReviewOptions.Section}:MaxRequestBodyBytes must lie between 4096 and 67108864.");
        if (o.PublicUrl is not null && !(Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            errors.Add($"{ReviewOptions.Section}:PublicUrl must be an absolute http(s) URL (got '{o.PublicUrl}').");

        if (o.Users.Count == 0 && o.ApiKeys.Count == 0 && !environment.IsDevelopment())
        {
            errors.Add($"No reviewers configured: set {ReviewOptions.Section}:Users (name, PasswordHash from `hash-password`, roles) " +
                       $"or {ReviewOptions.Section}:ApiKeys (name, KeySha256 from `new-api-key`, roles). " +
                       "Only the Development environment starts without them.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (user, i) in o.Users.Select((u, i) => (u, i)))
        {
            var at = $"{ReviewOptions.Section}:Users:{i}";
            CheckName(user.Name, at, names, errors);
            if (string.IsNullOrWhiteSpace(user.PasswordHash)) errors.Add($"{at}:PasswordHash is required (run `Moderation.Review hash-password`).");
            CheckRoles(user.Roles, at, errors);
        }
        foreach (var (key, i) in o.ApiKeys.Select((k, i) => (k, i)))
        {
            var at = $"{ReviewOptions.Section}:ApiKeys:{i}";
            CheckName(key.Name, at, names, errors);
            if (key.KeySha256.Length != 64 || !key.KeySha256.All(Uri.IsHexDigit))
                errors.Add($"{at}:KeySha256 must be 64 hex digits (run `Moderation.Review new-api-key`).");
            CheckRoles(key.Roles, at, errors);
        }
        foreach (var (proxy, i) in o.TrustedProxies.Select((p, i) => (p, i)))
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _) && !System.Net.IPNetwork.TryParse(proxy, out _))
                errors.Add($"{ReviewOptions.Section}:TrustedProxies:{i} '{proxy}' is neither an IP address nor a CIDR network.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// Names are who the audit log, claims and notes say acted: printable, at most 100 characters, unique in any
    /// letter case, and not starting with "(" (kept for the app itself, e.g. "(review app)" ending a session).
    /// </summary>
    private static void CheckName(string name, string at, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add($"{at}:Name is required.");
        else if (name.Length > 100) errors.Add($"{at}:Name is at most 100 characters.");
        else if (Api.Validation.TextRules.Check(name, multiline: false) is { } problem) errors.Add($"{at}:Name {problem}");
        else if (name.StartsWith('(')) errors.Add($"{at}:Name may not start with '(' (names in parentheses are the app's own).");
        else if (!names.Add(name)) errors.Add($"{at}:Name '{name}' is used twice.");
    }

    private static void CheckRoles(List<string> roles, string at, List<string> errors)
    {
        if (roles.Count == 0)
            errors.Add($"{at}:Roles needs at least one of {string.Join(", ", ReviewRoles.All)}.");
        foreach (var role in roles.Where(r => !ReviewRoles.All.Contains(r)))
            errors.Add($"{at}:Roles: '{role}' is not one of {string.Join(", ", ReviewRoles.All)}.");
    }
}

internal sealed class TransportOptionsValidator : IValidateOptions<TransportOptions>
{
    public ValidateOptionsResult Validate(string? name, TransportOptions o) =>
        o.Transport is TransportNames.InMemory or TransportNames.RabbitMq
            ? string.IsNullOrWhiteSpace(o.Host) && o.Transport == TransportNames.RabbitMq
                ? ValidateOptionsResult.Fail("Moderation:Bus:Host is required when Moderation:Bus:Transport is RabbitMq.")
                : ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Moderation:Bus:Transport must be {TransportNames.InMemory} or {TransportNames.RabbitMq} (got '{o.Transport}').");
}
