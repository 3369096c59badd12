using System.Globalization;
using System.Text;
using Moderation.Storage.Review;

namespace Moderation.Review.Data;

/// <summary>
/// Moderators' decisions as labelled rows in the TSV the `train` command reads:
/// <c>text, orig_label, cat, split, source</c>. Confirmed items carry their first category code, released
/// items cat 0 (the moderator judged them clean); orig_label says which; split is left empty so the trainer
/// assigns it; source is "moderator". Tabs and newlines become spaces; a field with a quote is quoted CSV-style.
/// </summary>
public sealed class TrainingExport(IReviewQueue queue)
{
    public const string Header = "text\torig_label\tcat\tsplit\tsource\n";

    /// <summary>Streams: each row is read from the database as the previous one is written, so the export is never held in memory.</summary>
    public async Task<int> WriteAsync(TextWriter writer, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        await writer.WriteAsync(Header.AsMemory(), ct);
        var count = 0;
        await foreach (var item in queue.DecidedAsync(from, to, ct))
        {
            await writer.WriteAsync(FormatRow(item.Title, item.Body, item.Status, item.Categories).AsMemory(), ct);
            count++;
        }
        return count;
    }

    public static string FormatRow(string? title, string body, string status, IReadOnlyList<int> categories)
    {
        var text = Moderation.Core.Posts.PostRecord.ComposeText(title, body);
        var confirmed = status == ReviewStatuses.Confirmed;
        var cat = confirmed && categories.Count > 0 ? categories[0] : 0;
        return new StringBuilder()
            .Append(Field(text)).Append('\t')
            .Append(confirmed ? "confirmed" : "released").Append('\t')
            .Append(cat.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append('\t')
            .Append("moderator").Append('\n')
            .ToString();
    }

    public static string Field(string s)
    {
        s = s.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
        return s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
