using System.Globalization;
using System.Text;

namespace Moderation.Core.Ledger;

/// <summary>
/// What closes one chain (platform, UTC day): how many entries it has and the hash of the last. The signed
/// message is <see cref="Message"/>, UTF-8, five lines each ending in a line feed.
/// </summary>
public sealed record DailyRoot(string Platform, DateOnly Day, long Entries, string LastHash)
{
    public const string Format = "moderation-ledger-root/v1";

    public byte[] Message() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{Format}\nplatform={Platform}\nday={Day:yyyy-MM-dd}\nentries={Entries}\nlast={LastHash}\n"));
}

/// <summary>A root with its signature (ECDSA P-256 over SHA-256, DER-encoded, base64) and the id of the key that made it.</summary>
public sealed record SignedRoot(DailyRoot Root, string Signature, string KeyId, DateTimeOffset SignedAt);
