using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace Moderation.Core.Ledger;

/// <summary>
/// The byte string a ledger entry hashes for one row: a list of fields, each a 4-byte big-endian length and
/// that many UTF-8 bytes (a null field is the length 0xFFFFFFFF and no bytes). A list is its item count as a
/// field, then the items. Numbers are invariant decimal text; times are Unix microseconds (what PostgreSQL
/// keeps); IP addresses are .NET's canonical text of the parsed address. Simple on purpose, so another
/// language can rebuild it (docs/compliance.md spells it out).
/// </summary>
public static class LedgerCanonical
{
    public const string RecordKind = "record";
    public const string DecisionKind = "decision";
    public const string ReviewKind = "review";

    /// <summary>A stored post record (clause 1.5): what was said, when, from where, by whom.</summary>
    public static byte[] Record(string platform, string contentId, long version, string serviceType, string authorId, string? title,
        string body, IReadOnlyList<string> urls, DateTimeOffset publishedAt, string sourceIp, int? sourcePort, string contentSha256)
    {
        var w = new Writer();
        w.Field(RecordKind).Field(platform).Field(contentId).Number(version).Field(serviceType).Field(authorId).Field(title)
            .Field(body).List(urls).Time(publishedAt).Field(Ip(sourceIp)).Number(sourcePort).Field(contentSha256);
        return w.ToArray();
    }

    /// <summary>
    /// A worker's decision. The hits, scores and reasons are covered through <paramref name="evidenceSha256"/>, the hash
    /// of the stored evidence snapshot (which holds them verbatim); the verifier re-hashes the snapshot too.
    /// </summary>
    public static byte[] Decision(string platform, string contentId, long version, Guid decisionId, string action, IReadOnlyList<int> categories,
        string lexiconVersion, string modelVersion, string policyVersion, DateTimeOffset decidedAt, string actor, string evidenceSha256)
    {
        var w = new Writer();
        w.Field(DecisionKind).Field(platform).Field(contentId).Number(version).Field(decisionId.ToString("D")).Field(action)
            .List(categories.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList())
            .Field(lexiconVersion).Field(modelVersion).Field(policyVersion).Time(decidedAt).Field(actor).Field(evidenceSha256);
        return w.ToArray();
    }

    /// <summary>A moderator's final decision on a held post (confirm or release).</summary>
    public static byte[] Review(string platform, string contentId, long version, Guid decisionId, string action, IReadOnlyList<int> categories,
        string actor, DateTimeOffset decidedAt, string? reason)
    {
        var w = new Writer();
        w.Field(ReviewKind).Field(platform).Field(contentId).Number(version).Field(decisionId.ToString("D")).Field(action)
            .List(categories.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList())
            .Field(actor).Time(decidedAt).Field(reason);
        return w.ToArray();
    }

    /// <summary>Unix microseconds: PostgreSQL keeps microseconds, so this is what survives a round trip through either store.</summary>
    public static long Microseconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The same address however it was written (PostgreSQL's inet and the intake may spell IPv6 differently).</summary>
    public static string Ip(string ip) => IPAddress.TryParse(ip, out var a) ? a.ToString() : ip;

    private sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public Writer Field(string? value)
        {
            Span<byte> length = stackalloc byte[4];
            if (value is null)
            {
                BinaryPrimitives.WriteUInt32BigEndian(length, uint.MaxValue);
                _buffer.Write(length);
                return this;
            }
            var bytes = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            _buffer.Write(length);
            _buffer.Write(bytes);
            return this;
        }

        public Writer Number(long? value) => Field(value?.ToString(CultureInfo.InvariantCulture));

        public Writer Time(DateTimeOffset value) => Number(Microseconds(value));

        public Writer List(IReadOnlyList<string> items)
        {
            Number(items.Count);
            foreach (var item in items)
                Field(item);
            return this;
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
    }
}
