using MassTransit;
using Moderation.Contracts;
using Moderation.Core.Taxonomy;

namespace Moderation.Worker.Demo;

/// <summary>Prints decisions one line each and counts them per action and category.</summary>
internal sealed class DemoSummary
{
    private readonly SortedDictionary<string, int> _byAction = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, int> _byCategory = [];
    private int _rejected;

    public int Total { get; private set; }

    public static string? ContentIdOf(object result) => result switch
    {
        ContentModerated m => m.ContentId,
        Fault<ContentPublished> f => f.Message.ContentId,
        _ => null,
    };

    public void Print(object result)
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
                var scores = string.Join(", ", m.Scores.Where(s => s.Source == "model" && s.Score >= 0.3).Select(s => $"{s.Category}:{s.Score:0.00}"));
                Console.WriteLine($"{m.Action,-10} {m.Platform}/{m.ContentId} v{m.Version}  categories {cats}" +
                    (hits.Length > 0 ? $"  hits {hits}" : "") + (scores.Length > 0 ? $"  model {scores}" : ""));
                break;
            case Fault<ContentPublished> f:
                _rejected++;
                var reason = f.Exceptions.FirstOrDefault()?.Message ?? "unknown";
                Console.WriteLine($"{"rejected",-10} {f.Message.Platform}/{f.Message.ContentId}  reason: {reason}");
                break;
        }
    }

    public void PrintTotals()
    {
        Console.WriteLine();
        Console.WriteLine($"Summary: {Total} posts — " + string.Join(", ", _byAction.Select(kv => $"{kv.Key} {kv.Value}")) + $", rejected {_rejected}");
        foreach (var (code, count) in _byCategory)
            Console.WriteLine($"  category {code} ({ProhibitedCategories.Default[code].En}): {count}");
    }
}
