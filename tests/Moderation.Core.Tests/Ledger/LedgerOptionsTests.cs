using System.Security.Cryptography;
using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;

namespace Moderation.Core.Tests.Ledger;

/// <summary>Moderation:Ledger is checked at start-up: a wrong key stops the process instead of leaving days unsealed.</summary>
public sealed class LedgerOptionsTests
{
    private static IReadOnlyList<string> Failures(LedgerOptions o) =>
        new LedgerOptionsValidator().Validate(null, o).Failures?.ToList() ?? [];

    [Fact]
    public void A_p256_key_inline_or_from_a_file_is_accepted()
    {
        using var signer = LedgerSigner.Generate();
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, signer.PrivateKeyPem);
            Assert.Empty(Failures(new LedgerOptions { SigningKey = signer.PrivateKeyPem }));
            Assert.Empty(Failures(new LedgerOptions { SigningKeyPath = file }));
            using var loaded = new LedgerOptions { SigningKeyPath = file }.CreateSigner();
            Assert.Equal(signer.KeyId, loaded!.KeyId);
            Assert.Empty(Failures(new LedgerOptions()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Both_sources_a_missing_file_a_wrong_curve_or_garbage_are_refused()
    {
        using var signer = LedgerSigner.Generate();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Contains("not both", Assert.Single(Failures(new LedgerOptions { SigningKey = signer.PrivateKeyPem, SigningKeyPath = "/x.pem" })), StringComparison.Ordinal);
        Assert.Contains("no file", Assert.Single(Failures(new LedgerOptions { SigningKeyPath = "/nonexistent/ledger.pem" })), StringComparison.Ordinal);
        Assert.Contains("P-256", Assert.Single(Failures(new LedgerOptions { SigningKey = p384.ExportPkcs8PrivateKeyPem() })), StringComparison.Ordinal);
        Assert.Contains("PEM", Assert.Single(Failures(new LedgerOptions { SigningKey = "not a key" })), StringComparison.Ordinal);
        Assert.Single(Failures(new LedgerOptions { SealInterval = TimeSpan.Zero }));
    }
}
