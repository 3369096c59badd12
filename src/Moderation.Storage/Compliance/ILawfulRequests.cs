using Moderation.Core.Ledger;
using Moderation.Storage.Review;

namespace Moderation.Storage.Compliance;

/// <summary>
/// Lawful requests (clause 1.5): register, approve or reject by a second person, export once as a signed bundle.
/// Every step writes its audit row in the same transaction.
/// </summary>
public interface ILawfulRequests
{
    Task<LawfulRequest> RegisterAsync(ReviewActor actor, LawfulRequestDraft draft, CancellationToken ct);

    /// <summary>Forbidden when <paramref name="actor"/> registered the request; Conflict when it is no longer pending.</summary>
    Task<RequestResult> DecideAsync(ReviewActor actor, Guid requestId, bool approve, string reason, CancellationToken ct);

    Task<LawfulRequest?> GetAsync(Guid requestId, CancellationToken ct);

    Task<IReadOnlyList<LawfulRequest>> ListAsync(string? status, int limit, CancellationToken ct);

    /// <summary>Produces and stores the signed export of an approved request (Conflict unless approved).</summary>
    Task<RequestResult> ExportAsync(ReviewActor actor, Guid requestId, LedgerSigner signer, CancellationToken ct);

    /// <summary>The stored export; the download is audited.</summary>
    Task<ExportBundle?> DownloadAsync(ReviewActor actor, Guid requestId, CancellationToken ct);
}
