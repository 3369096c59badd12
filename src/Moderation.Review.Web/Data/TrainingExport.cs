using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Moderation.Review.Data;

/// <summary>
/// Moderators' decisions as labelled rows in the TSV the `train` command reads:
/// <c>text, orig_label, cat, split, source</c>. Confirmed items carry their first category code, released
/// items cat 0 (the moderator judged them clean); orig_label says which; split is left empty so the trainer
/// assigns it; source is "moderator". Tabs and newlines become spaces; a field with a quote is quoted CSV-style.
/// </summary>
public sealed class TrainingExport(NpgsqlDataSource db)
{
    public const string Header = "text\torig_label\tcat\tsplit\tsource\n";

    public async Task<int> WriteAsync(TextWriter writer, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        const string sql = """
            SELECT q.status AS Status, q.categories AS Categories, p.title AS Title, p.body AS Body
            FROM quarantine q
            JOIN post_records p ON p.platform = q.platform AND p.content_id = q.content_id AND p.version = q.version
            WHERE q.status IN ('confirmed', 'released')
              AND (@From::timestamptz IS NULL OR q.decided_at >= @From)
              AND (@To::timestamptz IS NULL OR q.decided_at < @To)
            ORDER BY q.decided_at, q.decision_id
            """;
        await writer.WriteAsync(Header);
        await using var conn = await db.OpenConnectionAsync(ct);
        var count = 0;
        // Unbuffered: rows stream from the server to the response without holding the export in memory.
        foreach (var r in await conn.QueryAsync<Row>(new CommandDefinition(sql, new { From = from, To = to }, flags: CommandFlags.None, cancellationToken: ct)))
        {
            await writer.WriteAsync(FormatRow(r.Title, r.Body, r.Status, r.Categories));
            count++;
        }
        return count;
    }

    public static string FormatRow(string? title, string body, string status, IReadOnlyList<int> categories)
    {
        var text = Moderation.Core.Posts.PostRecord.ComposeText(title, body);
        var confirmed = status == "confirmed";
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

    private sealed class Row
    {
        public string Status { get; set; } = "";
        public int[] Categories { get; set; } = [];
        public string? Title { get; set; }
        public string Body { get; set; } = "";
    }
}
