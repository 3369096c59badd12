using System.Globalization;

namespace Moderation.Storage.Ledger;

/// <summary>Days travel to both databases as 'yyyy-MM-dd' text: no driver or time-zone setting can shift them.</summary>
internal static class LedgerDays
{
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The UTC day an append at <paramref name="now"/> goes to.</summary>
    public static DateOnly Of(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);
}
