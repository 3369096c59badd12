using System.Globalization;

namespace Moderation.Review.Api.Validation;

/// <summary>
/// Parsers for query parameters. Endpoints bind query parameters as strings (the <see cref="InputValidationFilter"/>
/// has already refused control characters, over-long values and repeated keys) and parse them here, so a bad value
/// is a 400 that names the parameter, never a binding failure or an exception further down.
/// </summary>
public static class ApiInput
{
    /// <summary>The longest age a queue filter accepts: ten years, well inside what date arithmetic can take.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(3650);

    public static int? WholeNumber(string? value, string name, int min, int max, ApiErrors errors)
    {
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        errors.Add(name, $"{name} must be a whole number from {min} to {max}.");
        return null;
    }

    public static long? LargeWholeNumber(string? value, string name, long min, long max, ApiErrors errors)
    {
        if (value is null) return null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        errors.Add(name, $"{name} must be a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>Minutes ("90") or a time span ("1.02:00:00"), from zero to <see cref="MaxAge"/>.</summary>
    public static TimeSpan? Age(string? value, string name, ApiErrors errors)
    {
        if (value is null) return null;
        TimeSpan? age = null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
            age = minutes <= (long)MaxAge.TotalMinutes ? TimeSpan.FromMinutes(minutes) : null;
        else if (TimeSpan.TryParseExact(value, "c", CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero && span <= MaxAge)
            age = span;
        if (age is null)
            errors.Add(name, $"{name} must be minutes (e.g. 90) or a time span (e.g. 1.02:00:00), from 0 to {(long)MaxAge.TotalDays} days.");
        return age;
    }

    /// <summary>An ISO 8601 date-time with an offset (2026-11-29T08:00:00Z), as UTC.</summary>
    public static DateTimeOffset? Time(string? value, string name, ApiErrors errors)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            && t.Year is >= 2000 and <= 9000)
            return t.ToUniversalTime();
        errors.Add(name, $"{name} must be an ISO 8601 date-time such as 2026-11-29T08:00:00Z.");
        return null;
    }

    public static Guid? Id(string? value, string name, ApiErrors errors)
    {
        if (value is null) return null;
        if (System.Guid.TryParse(value, out var g)) return g;
        errors.Add(name, $"{name} must be an id (a GUID).");
        return null;
    }

    public static bool? Flag(string? value, string name, ApiErrors errors)
    {
        switch (value)
        {
            case null: return null;
            case "true": return true;
            case "false": return false;
            default:
                errors.Add(name, $"{name} must be 'true' or 'false'.");
                return null;
        }
    }

    /// <summary>One of <paramref name="allowed"/> (exact, ordinal), or <paramref name="fallback"/> when absent.</summary>
    public static string OneOf(string? value, string name, IReadOnlyCollection<string> allowed, string fallback, ApiErrors errors)
    {
        if (value is null) return fallback;
        if (allowed.Contains(value, StringComparer.Ordinal)) return value;
        errors.Add(name, $"{name} must be one of {string.Join(", ", allowed)}.");
        return fallback;
    }
}
