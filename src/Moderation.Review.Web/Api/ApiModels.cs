using System.ComponentModel.DataAnnotations;
using Moderation.Review.Api.Validation;

namespace Moderation.Review.Api;

// Request bodies carry their limits as attributes; InputValidationFilter enforces them (and refuses control
// characters in every string) before a handler runs. Multi-line: decision reasons, notes.

public sealed record LoginRequest([property: MaxLength(100)] string? Name, [property: MaxLength(1024)] string? Password);

public sealed record Me(string Name, IReadOnlyList<string> Roles, string AuthMethod, Guid? SessionId);

/// <summary>action: confirm | release | escalate. reason is required. categories (1–9, at most 9, duplicates dropped) may correct the held categories on confirm.</summary>
public sealed record DecisionRequest(
    [property: MaxLength(20)] string? Action,
    [property: MaxLength(ReviewApi.MaxReason), Multiline] string? Reason,
    [property: MaxLength(ReviewApi.MaxNote), Multiline] string? Notes,
    [property: MaxLength(9)] IReadOnlyList<int>? Categories);

/// <summary>decisionIds: at most Moderation:Review:MaxBulkItems (the hard ceiling here is 10,000).</summary>
public sealed record BulkDecisionRequest(
    [property: MaxLength(10_000)] IReadOnlyList<Guid>? DecisionIds,
    [property: MaxLength(20)] string? Action,
    [property: MaxLength(ReviewApi.MaxReason), Multiline] string? Reason,
    [property: MaxLength(ReviewApi.MaxNote), Multiline] string? Notes);

public sealed record NoteRequest([property: MaxLength(ReviewApi.MaxNote), Multiline] string? Text);

public sealed record RevokeUserRequest([property: MaxLength(100)] string? User);

public sealed record ClaimResponse(Guid DecisionId, string ClaimedBy, DateTimeOffset ClaimExpiresAt);

public sealed record DecisionResponse(Guid DecisionId, string Status);

public sealed record BulkItemResult(Guid DecisionId, string Outcome, string? Status, string? Detail);

public sealed record BulkDecisionResponse(IReadOnlyList<BulkItemResult> Results);

/// <summary>A live page session as admins see it. ExpiresAt: the earlier of the idle timeout and the absolute lifetime.</summary>
public sealed record SessionView(
    Guid SessionId, string User, IReadOnlyList<string> Roles, string AuthMethod, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt, string? ClientIp, string? UserAgent, bool Current);

public sealed record RevokedSessions(int Revoked);
