using System.Globalization;
using Moderation.Contracts;

namespace Moderation.Storage.Banks;

/// <summary>Which banks a confirmed item's text goes into, and why it does not go into others. Pure; both providers use it.</summary>
internal sealed record BankFilingPlan(IReadOnlyList<NewBank> Targets, IReadOnlyList<string> Skipped)
{
    public static BankFilingPlan ForConfirm(BankFiling filing, string text, IReadOnlyList<int> categories, IReadOnlyList<KeywordHit> heldHits)
    {
        var o = filing.Options;
        var targets = new List<NewBank>();
        var skipped = new List<string>();
        var held = BankHits.All(heldHits).ToList();
        foreach (var category in categories.Where(c => c is >= 1 and <= 9).Distinct().Order())
        {
            var name = o.BankFor(category);
            if (targets.Exists(t => string.Equals(t.Name, name, StringComparison.Ordinal)))
                continue;
            if (filing.Check(text, category, o.ConfirmThreshold) is { } problem)
            {
                skipped.Add($"{name}: {problem}");
                continue;
            }
            var copy = held.Where(h => string.Equals(h.Bank, name, StringComparison.Ordinal) && h.Similarity >= o.SkipCopiesAtOrAbove).ToList();
            if (copy.Count > 0)
            {
                skipped.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: already held as a copy of entry {copy[0].EntryId} at {copy[0].Similarity:0.00}"));
                continue;
            }
            targets.Add(new NewBank(name, category, null, o.ConfirmAction, o.ConfirmThreshold, "Filled by moderators' confirms"));
        }
        return new BankFilingPlan(targets, skipped);
    }
}
