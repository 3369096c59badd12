namespace Moderation.Storage.Banks;

/// <summary>A bank as stored: its settings never change after creation (so replay is exact); only <see cref="Enabled"/> does.</summary>
public sealed record BankRecord(
    long BankId, string Name, int Category, string? SubLabel, string Action, double Threshold, bool Enabled,
    string? Description, string CreatedBy, DateTimeOffset CreatedAt, long CreatedVersion, long ActiveEntries);

/// <summary>One entry as stored, with where it came from and whether (and why) it left the bank.</summary>
public sealed record BankEntryRecord(
    long EntryId, string Bank, string Text, string? Source, string? Note, string Origin, Guid? DecisionId,
    string AddedBy, DateTimeOffset AddedAt, long AddedVersion, string State,
    string? EndedBy, DateTimeOffset? EndedAt, long? EndedVersion, string? EndReason);

/// <summary>What a supervisor or an operator asks for when creating a bank.</summary>
public sealed record NewBank(string Name, int Category, string? SubLabel, string Action, double Threshold, string? Description);

/// <summary>One text to add, with where it came from (a URL, a fact-check id, a file name) and a note.</summary>
public sealed record NewBankEntry(string Text, string? Source, string? Note);

/// <summary>An entry the worker matches, with its bank's settings (what <c>Moderation.Banks.BankEntry</c> needs).</summary>
public sealed record ActiveBankEntry(string Bank, long EntryId, int Category, string? SubLabel, string Action, double Threshold, string Text);

/// <summary>Every entry in force at <see cref="Version"/>: enabled banks' active entries.</summary>
public sealed record BankContents(long Version, IReadOnlyList<ActiveBankEntry> Entries);

/// <summary>
/// What changed after a version, up to <see cref="Version"/>. Apply in this order: take out every entry of the
/// <see cref="ResetBanks"/> and the <see cref="Removals"/>, then put in the <see cref="Upserts"/> (which hold
/// every active entry of a reset bank that is enabled).
/// </summary>
public sealed record BankDelta(long Version, IReadOnlyList<string> ResetBanks, IReadOnlyList<ActiveBankEntry> Upserts, IReadOnlyList<(string Bank, long EntryId)> Removals)
{
    public bool IsEmpty => ResetBanks.Count == 0 && Upserts.Count == 0 && Removals.Count == 0;
}

/// <summary>What a bank change did: the outcome, why not, the bank version it committed as, the entry ids it added.</summary>
public sealed record BankChangeResult(Review.Outcome Outcome, string? Detail = null, long Version = 0)
{
    public IReadOnlyList<long> EntryIds { get; init; } = [];

    public static BankChangeResult Done(long version) => new(Review.Outcome.Done, Version: version);
}

/// <summary>A search over entries: by bank, by state, by text (substring), newest first, keyset-paged by entry id.</summary>
public sealed record BankEntryQuery(string? Bank = null, string? State = null, string? Text = null, long? Before = null, int Limit = 50);
