namespace Moderation.Storage;

/// <summary>Array literals for unnest() parameters: Npgsql cannot send an array of arrays, so each row's array travels as text.</summary>
internal static class PostgresValues
{
    public static string IntArray(IEnumerable<int> values) =>
        "{" + string.Join(',', values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "}";

    public static string TextArray(IEnumerable<string> values) =>
        "{" + string.Join(',', values.Select(l => "\"" + l.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "}";

    public static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;
}
