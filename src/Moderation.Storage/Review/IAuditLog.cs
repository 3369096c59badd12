namespace Moderation.Storage.Review;

/// <summary>The append-only trail of who saw or did what (a database trigger refuses UPDATE and DELETE on both providers).</summary>
public interface IAuditLog
{
    Task AppendAsync(ReviewActor actor, string action, Guid? decisionId, object? details, CancellationToken ct);

    /// <summary>Newest first; <paramref name="before"/> pages by audit id.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? decisionId, string? actor, long? before, int limit, CancellationToken ct);
}
