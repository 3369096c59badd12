using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Moderation.Storage.Review;

/// <summary>Which open items a moderator lists, and where the page starts.</summary>
public sealed record QueueQuery(
    string Status,
    string Sort,
    int? Category,
    string? SubLabel,
    int? MinSeverity,
    string? Platform,
    string? ServiceType,
    TimeSpan? MinAge,
    TimeSpan? MaxAge,
    bool UnclaimedOnly,
    int Limit,
    QueueCursor? After)
{
    public const string SortSeverity = "severity";
    public const string SortAge = "age";
}

/// <summary>Keyset position: the sort key of the last row seen. Opaque to clients (base64url).</summary>
public sealed record QueueCursor(int Severity, double Score, DateTime CreatedAt, Guid DecisionId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|',
        Severity.ToString(CultureInfo.InvariantCulture), Score.ToString("R", CultureInfo.InvariantCulture),
        CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), DecisionId.ToString("N"))));

    public static bool TryDecode(string text, out QueueCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts.Length != 4) return false;
            cursor = new QueueCursor(
                int.Parse(parts[0], CultureInfo.InvariantCulture),
                double.Parse(parts[1], CultureInfo.InvariantCulture),
                new DateTime(long.Parse(parts[2], CultureInfo.InvariantCulture), DateTimeKind.Utc),
                Guid.ParseExact(parts[3], "N"));
            return true;
        }
        catch (FormatException) { return false; }
        catch (OverflowException) { return false; }
        catch (ArgumentException) { return false; }
    }
}

public sealed record QueueItem(
    Guid DecisionId, string Platform, string ContentId, long Version, string ServiceType,
    IReadOnlyList<int> Categories, IReadOnlyList<string> SubLabels, int MaxSeverity, double TopScore,
    string Status, string? ClaimedBy, DateTimeOffset? ClaimExpiresAt, DateTimeOffset CreatedAt, long AgeSeconds, string Excerpt);

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? NextCursor)
{
    /// <summary>Rows were fetched with limit + 1: the extra one says there is a next page, starting after the last shown.</summary>
    internal static QueuePage From(List<QueueItem> rows, int limit)
    {
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var last = rows.LastOrDefault();
        return new QueuePage(rows, more && last is not null
            ? new QueueCursor(last.MaxSeverity, last.TopScore, last.CreatedAt.UtcDateTime, last.DecisionId).Encode()
            : null);
    }
}

/// <summary>A confirmed or released item, as the training export writes it.</summary>
public sealed record DecidedItem(Guid DecisionId, string Status, IReadOnlyList<int> Categories, string? Title, string Body, DateTimeOffset DecidedAt);

/// <summary>How many items wait in one open status (pending, escalated), and since when: for the queue metrics.</summary>
public sealed record OpenQueueStats(string Status, long Count, DateTimeOffset? Oldest);
