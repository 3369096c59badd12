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
            if (string.IsNullOrWhiteSpace(user.Name)) errors.Add($"{at}:Name is required.");
            else if (!names.Add(user.Name)) errors.Add($"{at}:Name '{user.Name}' is used twice.");
            if (string.IsNullOrWhiteSpace(user.PasswordHash)) errors.Add($"{at}:PasswordHash is required (run `Moderation.Review hash-password`).");
            CheckRoles(user.Roles, at, errors);
        }
        foreach (var (key, i) in o.ApiKeys.Select((k, i) => (k, i)))
        {
            var at = $"{ReviewOptions.Section}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name)) errors.Add($"{at}:Name is required.");
            else if (!names.Add(key.Name)) errors.Add($"{at}:Name '{key.Name}' is used twice.");
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
