using Moderation.Core.Ledger;

namespace Moderation.Storage.Compliance;

/// <summary>Which records a lawful request covers: one platform, narrowed by author, content ids, source IP and a publish-time window [From, To).</summary>
public sealed record LawfulRequestScope(string Platform, string? AuthorId = null, IReadOnlyList<string>? ContentIds = null, string? SourceIp = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>What the compliance officer registers (clause 1.5): who asks, under which document and legal basis, for what.</summary>
public sealed record LawfulRequestDraft(string Authority, string DocumentNumber, string LegalBasis, LawfulRequestScope Scope);

public static class LawfulRequestStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Exported = "exported";
}

public sealed record LawfulRequest(Guid RequestId, string Authority, string DocumentNumber, string LegalBasis, LawfulRequestScope Scope, string Status,
    string RegisteredBy, DateTimeOffset RegisteredAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason,
    string? ExportedBy, DateTimeOffset? ExportedAt);

/// <summary>One record as an export carries it: the rows its ledger entries cover, its evidence snapshot, and whether it is held.</summary>
public sealed record ExportedRecord(LedgerRecordRow Record, LedgerDecisionRow? Decision, string? EvidenceJson, IReadOnlyList<LedgerReviewRow> Reviews, bool LegalHold);

/// <summary>A produced export: JSON lines, the manifest, its signature (base64 DER ECDSA P-256 over the manifest's UTF-8 bytes), and the public key.</summary>
public sealed record ExportBundle(Guid RequestId, string RecordsJsonl, string ManifestJson, string Signature, string PublicKeyPem, int RecordCount, DateTimeOffset CreatedAt)
{
    public const string RecordsFile = "records.jsonl";
    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.sig";
    public const string PublicKeyFile = "public-key.pem";

    public async Task WriteToAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, RecordsFile), RecordsJsonl, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, ManifestFile), ManifestJson, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, SignatureFile), Signature, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, PublicKeyFile), PublicKeyPem, ct);
    }

    /// <summary>The same four files as a zip (what the review API hands out).</summary>
    public byte[] ToZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { (RecordsFile, RecordsJsonl), (ManifestFile, ManifestJson), (SignatureFile, Signature), (PublicKeyFile, PublicKeyPem) })
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open(), new System.Text.UTF8Encoding(false));
                w.Write(text);
            }
        }
        return buffer.ToArray();
    }
}

/// <summary>How a step on a request went.</summary>
public enum RequestOutcome { Done, NotFound, Conflict, Forbidden }

public sealed record RequestResult(RequestOutcome Outcome, LawfulRequest? Request = null, string? Detail = null);

/// <summary>Audit action names of lawful requests (stable strings, in the review audit log).</summary>
public static class LawfulRequestAudit
{
    public const string Register = "request.register";
    public const string Approve = "request.approve";
    public const string Reject = "request.reject";
    public const string Export = "request.export";
    public const string Download = "request.download";
}
