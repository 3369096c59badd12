using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Policy;
using Moderation.Core.Posts;
using Moderation.Storage;

namespace Moderation.Integration.Tests.Ledger;

/// <summary>Posts for ledger tests: any platform, any time, blocked, held or passed.</summary>
internal static class LedgerPosts
{
    private sealed class FixedClassifier(params KeywordHit[] hits) : IContentClassifier
    {
        public string Kind => ClassifierKinds.Keyword;
        public ClassifierResult Classify(string text) => new(Kind, "lex-ledger", hits, []);
    }

    /// <param name="severity">0 pass, 1 quarantine, 3 block.</param>
    public static ModeratedPost Post(string platform, string contentId, DateTimeOffset at, int severity = 0, int retentionDays = 60, string body = "正文 body 内容")
    {
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = platform, ContentId = contentId, ServiceType = ServiceTypes.Forum, AuthorId = "author-" + contentId,
            Title = "标题", Body = body, Urls = ["https://example.org/" + contentId], PublishedAt = at.AddMinutes(-1),
            SourceIp = "2001:db8::7", SourcePort = 4242,
        }, new IntakeOptions { RetentionDays = retentionDays }, at);
        KeywordHit[] hits = severity == 0 ? [] : [new KeywordHit("term", 9, "drugs", severity, 0, 2, "body")];
        var decision = new ModerationEngine([new FixedClassifier(hits)]).Decide(record, new PolicyOptions(), at);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);
        return new ModeratedPost(record, decision, json, sha, at.AddHours(24));
    }
}
