using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Moderation.Core.Ledger;

/// <summary>
/// entry hash = SHA-256(previous entry hash (32 bytes) ‖ sequence number (8 bytes, big-endian) ‖ canonical row bytes).
/// The first entry of a chain (sequence 1) follows <see cref="Genesis"/>, 32 zero bytes. Hashes travel as lower-case hex.
/// </summary>
public static class LedgerHash
{
    public static readonly string Genesis = new('0', 64);

    public static string Entry(string previousHex, long sequence, ReadOnlySpan<byte> canonical)
    {
        var input = new byte[32 + 8 + canonical.Length];
        Convert.FromHexString(previousHex).CopyTo(input, 0);
        BinaryPrimitives.WriteInt64BigEndian(input.AsSpan(32, 8), sequence);
        canonical.CopyTo(input.AsSpan(40));
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }
}
