using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Moderation.Core.Ledger;

namespace Moderation.Storage.Ledger;

/// <summary>
/// Configuration section "Moderation:Ledger". The signing key is the operator's (ECDSA P-256, PEM): give it inline
/// (<see cref="SigningKey"/>, e.g. from an environment variable or a secret store) or as a file path
/// (<see cref="SigningKeyPath"/>), never both, and never commit it. Without a key the worker still chains every
/// record but seals no day (and says so at start).
/// </summary>
public sealed class LedgerOptions
{
    public const string Section = "Moderation:Ledger";

    public string? SigningKey { get; set; }

    public string? SigningKeyPath { get; set; }

    /// <summary>Close days automatically (the worker's sealing service).</summary>
    public bool Seal { get; set; } = true;

    /// <summary>How long after a UTC day ends before it is sealed: longer than the clock skew between hosts and any batch in flight.</summary>
    public TimeSpan SealGrace { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the sealing service looks for days to close and roots to announce.</summary>
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The signer the options name, or null when none is configured.</summary>
    public LedgerSigner? CreateSigner()
    {
        if (!string.IsNullOrWhiteSpace(SigningKey))
            return LedgerSigner.FromPem(SigningKey);
        if (!string.IsNullOrWhiteSpace(SigningKeyPath))
            return LedgerSigner.FromPem(File.ReadAllText(SigningKeyPath));
        return null;
    }
}

/// <summary>Checked at start-up, so a wrong key stops the worker instead of leaving days unsealed.</summary>
public sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions o)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.SigningKey) && !string.IsNullOrWhiteSpace(o.SigningKeyPath))
            failures.Add("Moderation:Ledger: give SigningKey or SigningKeyPath, not both.");
        else if (!string.IsNullOrWhiteSpace(o.SigningKeyPath) && !File.Exists(o.SigningKeyPath))
            failures.Add($"Moderation:Ledger:SigningKeyPath: no file at {o.SigningKeyPath}.");
        else
        {
            try
            {
                o.CreateSigner()?.Dispose();
            }
            catch (CryptographicException e)
            {
                failures.Add($"Moderation:Ledger signing key: {e.Message}");
            }
        }
        if (o.SealGrace < TimeSpan.Zero)
            failures.Add("Moderation:Ledger:SealGrace must not be negative.");
        if (o.SealInterval <= TimeSpan.Zero)
            failures.Add("Moderation:Ledger:SealInterval must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
