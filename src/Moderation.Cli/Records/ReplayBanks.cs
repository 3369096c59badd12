using Moderation.Banks;
using Moderation.Pipeline.Banks;
using Moderation.Storage.Banks;

namespace Moderation.Cli.Records;

/// <summary>
/// The content banks as a replayed decision saw them. A decision records "&lt;bank version&gt;:&lt;index digest&gt;";
/// replay loads the banks as of that version (banks keep their history: settings never change, entries and
/// enable/disable switches carry the version they happened at), rebuilds the index and checks its digest, and
/// says when it cannot reproduce them (a version this database never reached, or a different digest: the
/// matcher's options changed since). A decision made without banks is replayed without banks.
/// </summary>
internal sealed class ReplayBanks(IBankStore? store, BankIndexProvider provider)
{
    private readonly Dictionary<long, BankIndex?> _cache = [];
    private readonly BankIndexOptions _options = new();

    public int Unreproducible { get; private set; }

    /// <summary>Points the provider at the banks of <paramref name="recorded"/>; returns why they cannot be reproduced, or null.</summary>
    public async Task<string?> UseAsync(string? recorded, CancellationToken ct)
    {
        var sequence = BankClassifier.SequenceOf(recorded);
        if (recorded is null || sequence is null)
        {
            provider.Replace(BankIndex.Empty(_options), 0);
            return recorded is null ? null : Fail($"bank version '{recorded}' names no change sequence; replayed without banks");
        }
        if (store is null)
        {
            provider.Replace(BankIndex.Empty(_options), 0);
            return Fail("no bank store to read; replayed without banks");
        }
        if (!_cache.TryGetValue(sequence.Value, out var index))
        {
            if (_cache.Count >= 8)
                _cache.Clear(); // replays walk records roughly in version order: a small cache is enough
            var contents = await store.LoadAsync(sequence, ct);
            index = contents is null ? null : BankEntries.Build(contents, _options, Environment.ProcessorCount).Index;
            _cache[sequence.Value] = index;
        }
        if (index is null)
        {
            provider.Replace(BankIndex.Empty(_options), 0);
            return Fail($"this database has no bank version {sequence} (its banks are older); replayed without banks");
        }
        provider.Replace(index, sequence.Value);
        var rebuilt = BankClassifier.VersionOf(index, sequence.Value);
        return string.Equals(rebuilt, recorded, StringComparison.Ordinal)
            ? null
            : Fail($"banks as of version {sequence} rebuild as {rebuilt}, the decision recorded {recorded} (the matcher's options changed?)");
    }

    private string Fail(string why)
    {
        Unreproducible++;
        return why;
    }
}
