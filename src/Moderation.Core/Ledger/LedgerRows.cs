using System.Globalization;
using Moderation.Core.Decisions;
using Moderation.Core.Posts;

namespace Moderation.Core.Ledger;

/// <summary>The columns of a stored record that its ledger entry covers, as the stores read them back and as an export carries them.</summary>
public sealed record LedgerRecordRow(string Platform, string ContentId, long Version, string ServiceType, string AuthorId, string? Title,
    string Body, IReadOnlyList<string> Urls, DateTimeOffset PublishedAt, string SourceIp, int? SourcePort, string ContentSha256)
{
    public static LedgerRecordRow From(PostRecord r) =>
        new(r.Platform, r.ContentId, r.Version, r.ServiceType, r.AuthorId, r.Title, r.Body, r.Urls, r.PublishedAt, r.SourceIp, r.SourcePort, r.ContentSha256);

    public byte[] Canonical() => LedgerCanonical.Record(Platform, ContentId, Version, ServiceType, AuthorId, Title, Body, Urls, PublishedAt, SourceIp, SourcePort, ContentSha256);

    public string Subject => LedgerSubjects.Record(Platform, ContentId, Version);
}

/// <summary>The columns of a worker's decision that its ledger entry covers.</summary>
public sealed record LedgerDecisionRow(string Platform, string ContentId, long Version, Guid DecisionId, string Action, IReadOnlyList<int> Categories,
    string LexiconVersion, string ModelVersion, string PolicyVersion, DateTimeOffset DecidedAt, string Actor, string EvidenceSha256)
{
    public static LedgerDecisionRow From(PostRecord r, ModerationDecision d, string evidenceSha256) =>
        new(r.Platform, r.ContentId, r.Version, d.DecisionId, d.Action, d.Categories, d.LexiconVersion, d.ModelVersion, d.PolicyVersion,
            d.DecidedAt, TakedownOrder.AutomaticActor, evidenceSha256);

    public byte[] Canonical() => LedgerCanonical.Decision(Platform, ContentId, Version, DecisionId, Action, Categories, LexiconVersion, ModelVersion,
        PolicyVersion, DecidedAt, Actor, EvidenceSha256);

    public string Subject => "decision on " + LedgerSubjects.Record(Platform, ContentId, Version);
}

/// <summary>The columns of a moderator's final decision (confirmed or released) that its ledger entry covers.</summary>
public sealed record LedgerReviewRow(string Platform, string ContentId, long Version, Guid DecisionId, string Status, IReadOnlyList<int> Categories,
    string Actor, DateTimeOffset DecidedAt, string? Reason)
{
    public byte[] Canonical() => LedgerCanonical.Review(Platform, ContentId, Version, DecisionId, Status, Categories, Actor, DecidedAt, Reason);

    public string Subject => $"moderator decision ({Status}) on " + LedgerSubjects.Record(Platform, ContentId, Version);
}

public static class LedgerSubjects
{
    public static string Record(string platform, string contentId, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"record {platform}/{contentId} v{version}");
}
