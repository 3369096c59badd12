using System.Security.Cryptography;
using System.Text;

namespace Moderation.Core.Decisions;

/// <summary>
/// Ids derived from what they name, so a redelivered post gets the same decision id and its events
/// the same message ids: downstream consumers can drop duplicates without asking us.
/// </summary>
public static class DeterministicIds
{
    public static Guid Decision(string platform, string contentId, long version) =>
        From("decision", platform, contentId, version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Guid For(Guid decisionId, string purpose) => From(purpose, decisionId.ToString("N"));

    private static Guid From(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        // RFC 9562 version 8 (custom): the version is the high nibble of octet 6, the variant the top bits of octet 8
        // (octets in big-endian order, as the constructor below reads them).
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
