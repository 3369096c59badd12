using System.Globalization;

namespace Moderation.Compliance.Documents;

internal static class PrintFormat
{
    /// <summary>UTC and China Standard Time side by side: the regulator reads the second, the logs the first.</summary>
    public static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " (" +
        t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss '+08:00'", CultureInfo.InvariantCulture) + ")";

    public static string Time(DateTimeOffset? t) => t is { } v ? Time(v) : "—";

    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
