using System.Text.Json;
using Moderation.Core.Decisions;
using Moderation.Core.Posts;

namespace Moderation.Core.Events;

/// <summary>
/// A canonical JSON snapshot of record + decision, and its SHA-256. Stored beside the decision; anyone
/// holding the snapshot can recompute the hash and show that the record was not altered since.
/// </summary>
public static class EvidenceSnapshot
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static (string Json, string Sha256) Create(PostRecord post, ModerationDecision decision)
    {
        var json = JsonSerializer.Serialize(new { record = post, decision }, Canonical);
        return (json, PostIntake.Sha256Hex(json));
    }
}
