using System.Globalization;
using Moderation.Contracts;

namespace Moderation.Storage.Banks;

/// <summary>
/// Configuration section "Moderation:Banks" as the review app reads it: how a moderator's confirm fills the
/// banks and whether a release takes entries out. Validated at start-up (see the review app's options validation).
/// </summary>
public sealed class BankFilingOptions
{
    public const string Section = "Moderation:Banks";

    /// <summary>A confirmed item's text goes into the bank of each of its categories.</summary>
    public bool FillOnConfirm { get; set; } = true;

    /// <summary>Releasing an item that was held by confirm-made entries removes those entries (a moderator said that text is fine).</summary>
    public bool RemoveOnRelease { get; set; } = true;

    /// <summary>Category ("1"-"9") to bank name; a category not listed uses <c>confirmed-&lt;category&gt;</c>.</summary>
    public Dictionary<string, string> ConfirmBanks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Settings of a confirm bank created on first use (a configured bank that exists keeps its own).</summary>
    public string ConfirmAction { get; set; } = BankRules.Quarantine;

    public double ConfirmThreshold { get; set; } = 0.4;

    /// <summary>A confirmed item that was itself held by an entry of the same bank at this similarity or more is not added again.</summary>
    public double SkipCopiesAtOrAbove { get; set; } = 0.9;

    public string BankFor(int category) =>
        ConfirmBanks.TryGetValue(category.ToString(CultureInfo.InvariantCulture), out var name) && !string.IsNullOrWhiteSpace(name)
            ? name
            : string.Create(CultureInfo.InvariantCulture, $"confirmed-{category}");

    /// <summary>Why these options cannot work, or null.</summary>
    public string? Problem()
    {
        foreach (var (key, name) in ConfirmBanks)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c is < 1 or > 9)
                return $"Moderation:Banks:ConfirmBanks: '{key}' is not a category 1-9";
            if (BankRules.Problem(new NewBank(name, c, null, ConfirmAction, ConfirmThreshold, null)) is { } p)
                return $"Moderation:Banks:ConfirmBanks:{key}: {p}";
        }
        if (ConfirmAction is not (BankRules.Quarantine or BankRules.Block))
            return "Moderation:Banks:ConfirmAction must be quarantine or block";
        if (!(ConfirmThreshold > 0 && ConfirmThreshold <= 1))
            return "Moderation:Banks:ConfirmThreshold must be in (0, 1]";
        if (!(SkipCopiesAtOrAbove > 0 && SkipCopiesAtOrAbove <= 1.01))
            return "Moderation:Banks:SkipCopiesAtOrAbove must be in (0, 1] (above 1: never skip)";
        return null;
    }
}

/// <summary>Why a text cannot be a bank entry with this category and threshold (too short to match, …), or null. The matcher's rule, passed in.</summary>
public delegate string? BankTextCheck(string text, int category, double threshold);

/// <summary>What the review commands need to fill and empty banks on confirm and release.</summary>
public sealed record BankFiling(BankFilingOptions Options, BankTextCheck Check);

/// <summary>Reads the bank evidence of a stored decision: hits of kind "bank" name their bank and entry in the term.</summary>
public static class BankHits
{
    /// <summary>(bank, entry id, similarity) of a bank hit's term "bank:&lt;bank&gt;#&lt;entry&gt;@&lt;similarity&gt;", or null.</summary>
    public static (string Bank, long EntryId, double Similarity)? Parse(KeywordHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        if (!string.Equals(hit.Kind, HitKinds.Bank, StringComparison.Ordinal) || !hit.Term.StartsWith("bank:", StringComparison.Ordinal))
            return null;
        var term = hit.Term.AsSpan(5);
        var hash = term.LastIndexOf('#');
        var at = term.LastIndexOf('@');
        if (hash <= 0 || at < hash)
            return null;
        if (!long.TryParse(term[(hash + 1)..at], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !double.TryParse(term[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var similarity))
            return null;
        return (term[..hash].ToString(), id, similarity);
    }

    public static IEnumerable<(string Bank, long EntryId, double Similarity)> All(IEnumerable<KeywordHit> hits) =>
        hits.Select(Parse).Where(h => h is not null).Select(h => h!.Value);
}
