using Moderation.Storage.Review;

namespace Moderation.Storage.Banks;

/// <summary>
/// Content banks in the moderation database. Every change takes the next bank version (a change sequence) and
/// appends its audit row in the same transaction. Workers read <see cref="VersionAsync"/> every second and
/// <see cref="ChangesSinceAsync"/> when it moved; replay reads <see cref="LoadAsync"/> as of a decision's version.
/// </summary>
public interface IBankStore
{
    /// <summary>The current bank version (0: no change yet). One row, one index-free read: cheap enough to poll.</summary>
    Task<long> VersionAsync(CancellationToken ct);

    /// <summary>Every entry in force at <paramref name="asOf"/> (null: now); null when that version is in the future.</summary>
    Task<BankContents?> LoadAsync(long? asOf, CancellationToken ct);

    /// <summary>What changed after <paramref name="since"/>, read in one snapshot with the version it reaches.</summary>
    Task<BankDelta> ChangesSinceAsync(long since, CancellationToken ct);

    Task<BankChangeResult> CreateBankAsync(ReviewActor actor, NewBank bank, CancellationToken ct);

    Task<BankChangeResult> SetBankEnabledAsync(ReviewActor actor, string bank, bool enabled, string reason, CancellationToken ct);

    /// <summary>
    /// Adds all of <paramref name="entries"/> to <paramref name="bank"/> as one change (one version, one audit row),
    /// or nothing. Callers check each text first (<see cref="BankRules"/> and the matcher's own checks).
    /// </summary>
    Task<BankChangeResult> AddEntriesAsync(ReviewActor actor, string bank, string origin, IReadOnlyList<NewBankEntry> entries, CancellationToken ct);

    /// <summary>Disables one active entry (a supervisor's call; final: add the text again to bring it back).</summary>
    Task<BankChangeResult> DisableEntryAsync(ReviewActor actor, long entryId, string reason, CancellationToken ct);

    Task<IReadOnlyList<BankRecord>> ListBanksAsync(CancellationToken ct);

    Task<BankRecord?> GetBankAsync(string bank, CancellationToken ct);

    Task<IReadOnlyList<BankEntryRecord>> SearchEntriesAsync(BankEntryQuery query, CancellationToken ct);
}
