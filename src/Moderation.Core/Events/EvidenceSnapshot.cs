using System.Text.Json;
using Moderation.Core.Decisions;
using Moderation.Core.Posts;

namespace Moderation.Core.Events;

/// <summary>
/// A canonical JSON snapshot of record + decision, and its SHA-256. Stored beside the decision; anyone
/// holding the snapshot can recompute the hash and show that the record was not altered since.
/// It is also how a stored decision is read back, so what is replayed is exactly what was hashed.
/// </summary>
public static class EvidenceSnapshot
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static (string Json, string Sha256) Create(PostRecord post, ModerationDecision decision)
    {
        var json = JsonSerializer.Serialize(new Snapshot(post, decision), Canonical);
        return (json, PostIntake.Sha256Hex(json));
    }

    public static (PostRecord Record, ModerationDecision Decision) Read(string json)
    {
        var snapshot = JsonSerializer.Deserialize<Snapshot>(json, Canonical)
            ?? throw new InvalidDataException("Evidence snapshot is empty.");
        return (snapshot.Record, snapshot.Decision);
    }

    private sealed record Snapshot(PostRecord Record, ModerationDecision Decision);
}
