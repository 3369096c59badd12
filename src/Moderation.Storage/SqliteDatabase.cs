using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Moderation.Storage;

/// <summary>
/// How every SQLite store opens a connection and writes values. Timestamps are ISO-8601 UTC text (SQLite
/// has no date type), so they sort and compare as strings; ids are text; arrays are JSON text.
/// </summary>
internal static class SqliteDatabase
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var conn = new SqliteConnection(connectionString);
        await conn.OpenAsync(ct);
        // A writer waits up to 5 s for another (the worker, a second review instance) instead of failing at once.
        await conn.ExecuteAsync(new CommandDefinition("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;", cancellationToken: ct));
        return conn;
    }

    public static string Ts(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Ts(DateTimeOffset? t) => t is { } v ? Ts(v) : null;

    public static DateTimeOffset ParseTs(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateTimeOffset? ParseOptionalTs(string? text) => text is null ? null : ParseTs(text);

    /// <summary>Guids as lower-case text: Microsoft.Data.Sqlite would otherwise bind a Guid as a 16-byte blob.</summary>
    public static string Id(Guid id) => id.ToString("D");

    public static string JsonText<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static T FromJson<T>(string json) where T : new() => JsonSerializer.Deserialize<T>(json, Json) ?? new T();
}
