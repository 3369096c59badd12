using System.Globalization;

namespace Moderation.Banks;

/// <summary>What a match in a bank makes the policy do: quarantine (a moderator decides) or block.</summary>
public enum BankAction
{
    Quarantine = 0,
    Block = 1,
}

/// <summary>Identifies an entry: unique within an index. Upserting an existing key replaces the entry.</summary>
public readonly record struct BankEntryKey(string BankId, long EntryId)
{
    /// <summary>Ordinal by bank id, then by entry id: the order entries are kept in.</summary>
    public int CompareTo(BankEntryKey other)
    {
        var c = string.CompareOrdinal(BankId, other.BankId);
        return c != 0 ? c : EntryId.CompareTo(other.EntryId);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{BankId}#{EntryId}");
}

/// <summary>
/// One known text in a bank, with everything a match needs to act on it. The bank's settings travel on
/// each entry (denormalised) so the index needs no second table and an entry may carry its own threshold.
/// </summary>
/// <param name="BankId">Stable id of the bank (e.g. "cat9-scam-scripts"); with <paramref name="EntryId"/> the entry's key.</param>
/// <param name="BankName">Shown to moderators.</param>
/// <param name="EntryId">The entry's id within its bank (phase 2: the database row id).</param>
/// <param name="Category">Clause 1.3 category, 1–9.</param>
/// <param name="SubLabel">Optional sub-label (e.g. "scam", "rumour").</param>
/// <param name="Action">Quarantine or block on a match.</param>
/// <param name="Threshold">Least exact Jaccard similarity of shingle sets that counts as a match, in
/// [<see cref="BankIndexOptions.MinThreshold"/>, 1].</param>
/// <param name="Text">The known text as it was posted (title, newline, body, as the worker classifies it).</param>
public sealed record BankEntry(
    string BankId,
    string BankName,
    long EntryId,
    int Category,
    string? SubLabel,
    BankAction Action,
    double Threshold,
    string Text)
{
    public BankEntryKey Key => new(BankId, EntryId);
}
