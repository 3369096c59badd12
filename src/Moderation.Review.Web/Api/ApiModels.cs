namespace Moderation.Review.Api;

public sealed record LoginRequest(string? Name, string? Password);

public sealed record Me(string Name, IReadOnlyList<string> Roles, string AuthMethod);

/// <summary>action: confirm | release | escalate. reason is required. categories (1–9) may correct the held categories on confirm.</summary>
public sealed record DecisionRequest(string? Action, string? Reason, string? Notes, IReadOnlyList<int>? Categories);

public sealed record BulkDecisionRequest(IReadOnlyList<Guid>? DecisionIds, string? Action, string? Reason, string? Notes);

public sealed record NoteRequest(string? Text);

public sealed record ClaimResponse(Guid DecisionId, string ClaimedBy, DateTimeOffset ClaimExpiresAt);

public sealed record DecisionResponse(Guid DecisionId, string Status);

public sealed record BulkItemResult(Guid DecisionId, string Outcome, string? Status, string? Detail);

public sealed record BulkDecisionResponse(IReadOnlyList<BulkItemResult> Results);
