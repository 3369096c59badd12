using System.Globalization;
using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Taxonomy;

namespace Moderation.Worker.Demo;

/// <summary>Prints decisions one line each and counts them per action and category.</summary>
internal sealed class DemoSummary(TextWriter output)
{
    private readonly SortedDictionary<string, int> _byAction = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, int> _byCategory = [];
    private int _rejected;
    private int _unreadable;

    public int Total { get; private set; }

    /// <summary>A post's identity (platform, contentId, version), what the worker deduplicates on; null when it has none.</summary>
    public static string? KeyOf(ContentPublished p) =>
        string.IsNullOrEmpty(p.Platform) || string.IsNullOrEmpty(p.ContentId)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{p.Platform}\u001f{p.ContentId}\u001f{p.Version ?? 1}");

    public void Print(object result, int line)
    {
        Total++;
        switch (result)
        {
            case ContentModerated m:
                _byAction[m.Action] = _byAction.GetValueOrDefault(m.Action) + 1;
                foreach (var c in m.Categories)
                    _byCategory[c] = _byCategory.GetValueOrDefault(c) + 1;
                var cats = m.Categories.Count == 0 ? "-" : string.Join(",", m.Categories);
                var hits = string.Join(", ", m.Hits.Select(h => $"'{h.Matched}'→{h.Term} [{HitKinds.Of(h)} {h.Category}/{h.SubLabel} sev {h.Severity} {(h.Start >= 0 ? $"@{h.Start}-{h.End}" : "in urls")}]"));
                var omitted = m.HitsOmitted > 0 ? $" (+{m.HitsOmitted} more)" : "";
                var scores = string.Join(", ", m.Scores.Where(s => s.Source == "model" && s.Score >= 0.3).Select(s => $"{s.Category}:{s.Score:0.00}"));
                output.WriteLine($"{m.Action,-10} {m.Platform}/{m.ContentId} v{m.Version}  categories {cats}" +
                    (hits.Length > 0 ? $"  hits {hits}{omitted}" : "") + (scores.Length > 0 ? $"  model {scores}" : ""));
                break;
            case Fault<ContentPublished> f:
                _rejected++;
                var reason = f.Exceptions.FirstOrDefault()?.Message ?? "unknown";
                output.WriteLine($"{"rejected",-10} line {line} {f.Message.Platform}/{f.Message.ContentId}  reason: {reason}");
                break;
        }
    }

    /// <summary>A line of the file that never became a post on the bus.</summary>
    public void PrintUnreadable(int line, string reason)
    {
        Total++;
        _unreadable++;
        output.WriteLine($"{"rejected",-10} line {line}  reason: {reason}");
    }

    public void PrintTotals()
    {
        output.WriteLine();
        output.WriteLine($"Summary: {Total} posts — " + string.Join(", ", _byAction.Select(kv => $"{kv.Key} {kv.Value}")) + $", rejected {_rejected + _unreadable}");
        foreach (var (code, count) in _byCategory)
            output.WriteLine($"  category {code} ({ProhibitedCategories.Default[code].En}): {count}");
    }
}
