using System.Text.Json.Nodes;
using Moderation.Integration.Tests.Infrastructure;

namespace Moderation.Integration.Tests.Worker;

/// <summary>
/// The solicitation detector in the real worker: plain JSON in through RabbitMQ, the decision and its
/// explained hits out on the broker and in PostgreSQL, with the detector's version on the decision.
/// </summary>
public sealed class SolicitationDetectorTests(RabbitWorkerFixture worker) : IClassFixture<RabbitWorkerFixture>
{
    private static List<(string Type, string MessageId, JsonNode Message)> For(List<(string Type, string MessageId, JsonNode Message)> seen, string contentId) =>
        seen.Where(e => e.Message["contentId"]?.GetValue<string>() == contentId).ToList();

    private static JsonNode Moderated(List<(string Type, string MessageId, JsonNode Message)> mine) =>
        mine.Single(e => e.Type == "ContentModerated").Message;

    [Fact]
    public async Task A_gambling_offer_with_a_qq_number_is_blocked_with_its_lure_and_contact_explained()
    {
        var id = PostBuilder.NewId("solicit");
        const string body = "百 家 乐稳赢带回血，扣扣：２８７５\u200b５９３１０４";
        await worker.PublishJsonAsync(PostBuilder.Post(id, body));

        var mine = For(await worker.CollectEventsAsync([], s => For(s, id).Count >= 3), id);
        Assert.Equal(["ContentModerated", "RecordPreservationRequested", "TakedownRequested"], mine.Select(e => e.Type).Order());
        var moderated = Moderated(mine);
        Assert.Equal("block", moderated["action"]!.GetValue<string>());
        Assert.Contains(7, moderated["categories"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Matches("^lex-[0-9a-f]+\\+det-[0-9a-f]+\\+markers-1$", moderated["lexiconVersion"]!.GetValue<string>());

        var text = "title\n" + body;
        var hits = moderated["hits"]!.AsArray().Select(h => h!).ToList();
        var lure = hits.Single(h => h["kind"]?.GetValue<string>() == "lure" && h["term"]!.GetValue<string>() == "百家乐");
        Assert.Equal("百 家 乐", text[lure["start"]!.GetValue<int>()..lure["end"]!.GetValue<int>()]);
        var contact = hits.Single(h => h["kind"]?.GetValue<string>() == "contact" && h["start"]!.GetValue<int>() >= 0);
        // the post's urls are part of the offer's addresses: reported, but not in the text (offsets -1)
        var link = hits.Single(h => h["kind"]?.GetValue<string>() == "contact" && h["start"]!.GetValue<int>() < 0);
        Assert.Equal(("link", "https://example.org/x"), (link["term"]!.GetValue<string>(), link["matched"]!.GetValue<string>()));
        Assert.Equal(("qq", "2875593104", 7, "contact"), (contact["term"]!.GetValue<string>(), contact["matched"]!.GetValue<string>(), contact["category"]!.GetValue<int>(), contact["subLabel"]!.GetValue<string>()));
        Assert.Equal("扣扣：２８７５\u200b５９３１０４", text[contact["start"]!.GetValue<int>()..contact["end"]!.GetValue<int>()]);

        var stored = await worker.Store.FindAsync("it-platform", id, 1, default);
        Assert.NotNull(stored);
        Assert.Contains(stored.Decision.Hits, h => h.Kind == "lure" && h.SubLabel == "gambling" && h.Severity == 3);
        Assert.Contains(stored.Decision.Reasons, r => r.StartsWith("7: lure/gambling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_link_in_the_posts_urls_on_an_operator_domain_list_is_quarantined()
    {
        var id = PostBuilder.NewId("listed");
        var post = PostBuilder.Post(id, "周末活动，详情见链接");
        post["urls"] = new[] { $"https://www.{RabbitWorkerFixture.ListedDomain}/reg?from=42" };
        await worker.PublishJsonAsync(post);

        var mine = For(await worker.CollectEventsAsync([], s => For(s, id).Count >= 2), id);
        Assert.Equal(["ContentModerated", "ContentQuarantined"], mine.Select(e => e.Type).Order());
        var hit = Moderated(mine)["hits"]!.AsArray().Single(h => h!["kind"]?.GetValue<string>() == "domain")!;
        Assert.Equal((RabbitWorkerFixture.ListedDomain, 7, "gambling", -1), (hit["term"]!.GetValue<string>(), hit["category"]!.GetValue<int>(), hit["subLabel"]!.GetValue<string>(), hit["start"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_phone_number_alone_passes_and_its_contact_hit_is_still_recorded()
    {
        var id = PostBuilder.NewId("phone");
        await worker.PublishJsonAsync(PostBuilder.Post(id, "维修师傅明天上门，电话 139 8888 0000"));

        var mine = For(await worker.CollectEventsAsync([], s => For(s, id).Count >= 1), id);
        var moderated = Moderated(mine);
        Assert.Equal("pass", moderated["action"]!.GetValue<string>());
        var contact = moderated["hits"]!.AsArray().Single(h => h!["kind"]?.GetValue<string>() == "contact")!;
        Assert.Equal(("phone", "13988880000", 1), (contact["term"]!.GetValue<string>(), contact["matched"]!.GetValue<string>(), contact["severity"]!.GetValue<int>()));
        var stored = await worker.Store.FindAsync("it-platform", id, 1, default);
        Assert.NotNull(stored);
        Assert.Equal("pass", stored.Decision.Action);
    }
}
