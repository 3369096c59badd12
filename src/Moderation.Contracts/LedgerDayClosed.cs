namespace Moderation.Contracts;

/// <summary>
/// A platform's record ledger for one UTC day was closed: <see cref="Entries"/> entries ending in
/// <see cref="LastHash"/>, signed by the operator's key (ECDSA P-256, SHA-256, DER, base64). Anyone holding the
/// public key can check <see cref="Signature"/> over the root message described in docs/compliance.md.
/// </summary>
public sealed record LedgerDayClosed
{
    public required string Platform { get; init; }
    public required DateOnly Day { get; init; }
    public required long Entries { get; init; }
    public required string LastHash { get; init; }
    public required string Signature { get; init; }
    public required string KeyId { get; init; }
    public required DateTimeOffset SignedAt { get; init; }
}
