using System.Security.Cryptography;

namespace Moderation.Core.Ledger;

/// <summary>
/// The operator's signing key: ECDSA on NIST P-256 with SHA-256, from .NET's own System.Security.Cryptography
/// (Ed25519 is not in the base class library). Signatures are DER (RFC 3279), so `openssl dgst -sha256 -verify`
/// checks them too. The private key comes from configuration or a PEM file, never from the repository.
/// </summary>
public sealed class LedgerSigner : IDisposable
{
    private readonly ECDsa _key;

    private LedgerSigner(ECDsa key)
    {
        _key = key;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = LedgerVerifierKey.IdOf(key.ExportSubjectPublicKeyInfo());
    }

    public string KeyId { get; }

    public string PublicKeyPem { get; }

    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>A fresh key (tests, the demo, `records keygen`).</summary>
    public static LedgerSigner Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A PKCS#8 or SEC1 ("EC PRIVATE KEY") PEM; refuses any curve but P-256.</summary>
    public static LedgerSigner FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new CryptographicException("The ledger signing key is not a PEM-encoded EC private key.", e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException("The ledger signing key must be ECDSA P-256.");
        }
        return new LedgerSigner(key);
    }

    public SignedRoot Sign(DailyRoot root, DateTimeOffset at) =>
        new(root, Convert.ToBase64String(_key.SignData(root.Message(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)), KeyId, at);

    /// <summary>Signs any bytes (an export manifest) the same way.</summary>
    public string SignBytes(byte[] data) =>
        Convert.ToBase64String(_key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public LedgerVerifierKey PublicKey() => LedgerVerifierKey.FromPem(PublicKeyPem);

    public void Dispose() => _key.Dispose();
}

/// <summary>The public half: all that verification needs.</summary>
public sealed class LedgerVerifierKey : IDisposable
{
    private readonly ECDsa _key;

    private LedgerVerifierKey(ECDsa key)
    {
        _key = key;
        KeyId = IdOf(key.ExportSubjectPublicKeyInfo());
    }

    public string KeyId { get; }

    public static LedgerVerifierKey FromPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new CryptographicException("The ledger public key is not a PEM-encoded EC public key.", e);
        }
        return new LedgerVerifierKey(key);
    }

    /// <summary>First 16 hex digits of SHA-256 over the SubjectPublicKeyInfo DER.</summary>
    public static string IdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    public bool Verify(SignedRoot root) => VerifyBytes(root.Root.Message(), root.Signature);

    public bool VerifyBytes(byte[] data, string signatureBase64)
    {
        try
        {
            return _key.VerifyData(data, Convert.FromBase64String(signatureBase64), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
