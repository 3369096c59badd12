using System.Globalization;
using System.Text;
using System.Text.Json;
using Moderation.Core.Ledger;
using Moderation.Core.Posts;
using Moderation.Storage.Ledger;

namespace Moderation.Storage.Compliance;

/// <summary>
/// The export of a lawful request: <c>records.jsonl</c> (one record per line: the rows its ledger entries cover and its
/// evidence snapshot), <c>manifest.json</c> (the request, each line's SHA-256, each record's ledger entries, and for every
/// day involved the chain's links from the first entry used to the end of the day with the signed daily root), and
/// <c>manifest.sig</c>. Format: docs/compliance.md; checked offline by <see cref="ExportVerifier"/>.
/// </summary>
public static class LawfulExport
{
    public const string Format = "moderation-lawful-export/v1";

    // Chinese stays readable in the files an authority receives (HTML-sensitive characters are still escaped).
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    public sealed record Line(LedgerRecordRow Record, LedgerDecisionRow? Decision, IReadOnlyList<LedgerReviewRow> Reviews, string? EvidenceJson, bool LegalHold);

    public sealed record ManifestEntry(string Kind, DateOnly Day, long Sequence, string PreviousHash, string EntryHash);

    public sealed record ManifestRecord(string Platform, string ContentId, long Version, string LineSha256, IReadOnlyList<ManifestEntry> Entries);

    public sealed record Link(long Sequence, string PreviousHash, string EntryHash);

    public sealed record Root(long Entries, string LastHash, string Signature, string KeyId, DateTimeOffset SignedAt);

    public sealed record Chain(string Platform, DateOnly Day, IReadOnlyList<Link> Links, Root? Root);

    public sealed record Manifest(string Format, LawfulRequest Request, DateTimeOffset ExportedAt, string KeyId, int RecordCount,
        IReadOnlyList<ManifestRecord> Records, IReadOnlyList<Chain> Chains);

    public static async Task<ExportBundle> BuildAsync(LawfulRequest request, IReadOnlyList<ExportedRecord> records, ILedgerReader ledger,
        LedgerSigner signer, DateTimeOffset now, CancellationToken ct)
    {
        var jsonl = new StringBuilder();
        var manifestRecords = new List<ManifestRecord>(records.Count);
        var roots = new Dictionary<(string, DateOnly), SignedRoot>();
        foreach (var r in records)
        {
            var line = JsonSerializer.Serialize(new Line(r.Record, r.Decision, r.Reviews, r.EvidenceJson, r.LegalHold), Json);
            jsonl.Append(line).Append('\n');
            var proof = await ledger.GetProofAsync(r.Record.Platform, r.Record.ContentId, r.Record.Version, ct);
            var entries = proof?.Entries.Select(e => new ManifestEntry(e.Kind, e.Day, e.Sequence, e.PreviousHash, e.EntryHash)).ToList() ?? [];
            foreach (var root in proof?.Roots ?? [])
                roots[(root.Root.Platform, root.Root.Day)] = root;
            manifestRecords.Add(new ManifestRecord(r.Record.Platform, r.Record.ContentId, r.Record.Version, PostIntake.Sha256Hex(line), entries));
        }

        var chains = new List<Chain>();
        foreach (var group in manifestRecords.SelectMany(m => m.Entries.Select(e => (m.Platform, e.Day, e.Sequence)))
                     .GroupBy(x => (x.Platform, x.Day)).OrderBy(g => g.Key.Platform, StringComparer.Ordinal).ThenBy(g => g.Key.Day))
        {
            var tail = await ledger.ChainTailAsync(group.Key.Platform, group.Key.Day, group.Min(x => x.Sequence), ct);
            var root = roots.TryGetValue(group.Key, out var signed)
                ? new Root(signed.Root.Entries, signed.Root.LastHash, signed.Signature, signed.KeyId, signed.SignedAt)
                : null;
            // Links up to the root's last entry: what the signature covers (entries after a root cannot exist, a sealed chain is closed).
            chains.Add(new Chain(group.Key.Platform, group.Key.Day, tail.Select(t => new Link(t.Sequence, t.PreviousHash, t.EntryHash)).ToList(), root));
        }

        var manifest = JsonSerializer.Serialize(new Manifest(Format, request, now, signer.KeyId, records.Count, manifestRecords, chains),
            Indented);
        var signature = signer.SignBytes(Encoding.UTF8.GetBytes(manifest));
        return new ExportBundle(request.RequestId, jsonl.ToString(), manifest, signature, signer.PublicKeyPem, records.Count, now);
    }
}

/// <summary>What checking an export found: problems (it fails) and notes (it passes, but read them).</summary>
public sealed record ExportVerification(IReadOnlyList<string> Problems, IReadOnlyList<string> Notes, int Records)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// Checks an export with nothing but the operator's public key: the manifest's signature, every line's hash, every
/// record's ledger entries rebuilt from the line itself, the chain links from each entry to the end of its day, and
/// each day's signed root.
/// </summary>
public static class ExportVerifier
{
    public static async Task<ExportVerification> VerifyAsync(string directory, LedgerVerifierKey publicKey, CancellationToken ct)
    {
        var problems = new List<string>();
        var notes = new List<string>();
        var manifestBytes = await File.ReadAllBytesAsync(Path.Combine(directory, ExportBundle.ManifestFile), ct);
        var signature = (await File.ReadAllTextAsync(Path.Combine(directory, ExportBundle.SignatureFile), ct)).Trim();
        if (!publicKey.VerifyBytes(manifestBytes, signature))
        {
            problems.Add($"manifest.json: the signature does not verify with public key {publicKey.KeyId}");
            return new ExportVerification(problems, notes, 0);
        }
        var manifest = JsonSerializer.Deserialize<LawfulExport.Manifest>(manifestBytes, LawfulExport.Json)
            ?? throw new InvalidDataException("manifest.json is empty");
        var lines = (await File.ReadAllTextAsync(Path.Combine(directory, ExportBundle.RecordsFile), ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != manifest.Records.Count || manifest.RecordCount != lines.Length)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"records.jsonl has {lines.Length} lines, the manifest lists {manifest.Records.Count}"));

        var chains = manifest.Chains.ToDictionary(c => (c.Platform, c.Day));
        foreach (var chain in manifest.Chains)
            CheckChain(chain, publicKey, problems, notes);

        for (var i = 0; i < Math.Min(lines.Length, manifest.Records.Count); i++)
        {
            var m = manifest.Records[i];
            var name = LedgerSubjects.Record(m.Platform, m.ContentId, m.Version);
            if (PostIntake.Sha256Hex(lines[i]) != m.LineSha256)
            {
                problems.Add($"line {i + 1} ({name}): its SHA-256 differs from the manifest's: the line was altered");
                continue;
            }
            var line = JsonSerializer.Deserialize<LawfulExport.Line>(lines[i], LawfulExport.Json)!;
            if (line.Record.Platform != m.Platform || line.Record.ContentId != m.ContentId || line.Record.Version != m.Version)
                problems.Add($"line {i + 1}: holds {line.Record.Subject}, the manifest says {name}");
            if (m.Entries.Count == 0)
                problems.Add($"{name}: no ledger entry (stored before the ledger existed, or never chained)");
            if (line.Decision is { } d && line.EvidenceJson is { } evidence && PostIntake.Sha256Hex(evidence) != d.EvidenceSha256)
                problems.Add($"{name}: the evidence snapshot does not match the decision's evidence hash");
            foreach (var e in m.Entries)
            {
                byte[]? canonical = e.Kind switch
                {
                    LedgerCanonical.RecordKind => line.Record.Canonical(),
                    LedgerCanonical.DecisionKind => line.Decision?.Canonical(),
                    _ => line.Reviews.Count > 0 ? line.Reviews[0].Canonical() : null,
                };
                if (canonical is null || LedgerHash.Entry(e.PreviousHash, e.Sequence, canonical) != e.EntryHash)
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: its {e.Kind} does not match ledger entry {e.Sequence} of {e.Day:yyyy-MM-dd}"));
                if (!chains.TryGetValue((m.Platform, e.Day), out var chain)
                    || chain.Links.FirstOrDefault(l => l.Sequence == e.Sequence) is not { } link
                    || link.EntryHash != e.EntryHash || link.PreviousHash != e.PreviousHash)
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: ledger entry {e.Sequence} of {e.Day:yyyy-MM-dd} is not in the manifest's chain"));
            }
        }
        return new ExportVerification(problems, notes, lines.Length);
    }

    private static void CheckChain(LawfulExport.Chain chain, LedgerVerifierKey key, List<string> problems, List<string> notes)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"chain {chain.Platform} {chain.Day:yyyy-MM-dd}");
        for (var i = 1; i < chain.Links.Count; i++)
        {
            if (chain.Links[i].Sequence != chain.Links[i - 1].Sequence + 1 || chain.Links[i].PreviousHash != chain.Links[i - 1].EntryHash)
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: entry {chain.Links[i].Sequence} does not follow entry {chain.Links[i - 1].Sequence}"));
        }
        if (chain.Root is not { } root)
        {
            notes.Add($"{where}: the day is not sealed yet, so its entries are covered by the manifest's signature only");
            return;
        }
        var signed = new SignedRoot(new DailyRoot(chain.Platform, chain.Day, root.Entries, root.LastHash), root.Signature, root.KeyId, root.SignedAt);
        if (!key.Verify(signed))
            problems.Add($"{where}: the daily root's signature does not verify");
        var last = chain.Links.Count > 0 ? chain.Links[^1] : null;
        if (last is null || last.Sequence != root.Entries || last.EntryHash != root.LastHash)
            problems.Add($"{where}: the links do not end at the signed root");
    }
}
