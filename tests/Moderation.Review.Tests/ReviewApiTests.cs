using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit.Testing;
using Moderation.Contracts;
using Moderation.Review.Data;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Review.Tests;

public sealed class ReviewApiTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<JsonElement> GetJson(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string url, object? body = null) =>
        await client.PostAsJsonAsync(url, body ?? new { });

    [Fact]
    public async Task Queue_filters_by_platform_category_sublabel_severity_service_type_and_age()
    {
        var platform = "plat-" + Guid.NewGuid().ToString("N")[..6];
        var high = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, MaxSeverity = 3, TopScore = 0.9, Categories = [9], SubLabels = ["drugs"], Age = TimeSpan.FromMinutes(1) });
        var old = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, MaxSeverity = 1, Categories = [7], SubLabels = ["gambling"], Age = TimeSpan.FromHours(3), ServiceType = ServiceTypes.Chat });
        var mid = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, MaxSeverity = 2, Categories = [7, 8], SubLabels = ["violence"], Age = TimeSpan.FromMinutes(30) });
        using var client = app.ClientFor("mod1");

        var bySeverity = await GetJson(client, $"/api/queue?platform={platform}&sort=severity");
        Assert.Equal([high, mid, old], Ids(bySeverity));
        var byAge = await GetJson(client, $"/api/queue?platform={platform}&sort=age");
        Assert.Equal([old, mid, high], Ids(byAge));
        Assert.Equal([mid, old], Ids(await GetJson(client, $"/api/queue?platform={platform}&category=7")));
        Assert.Equal([high], Ids(await GetJson(client, $"/api/queue?platform={platform}&subLabel=drugs")));
        Assert.Equal([high, mid], Ids(await GetJson(client, $"/api/queue?platform={platform}&minSeverity=2")));
        Assert.Equal([old], Ids(await GetJson(client, $"/api/queue?platform={platform}&serviceType=chat")));
        Assert.Equal([mid, old], Ids(await GetJson(client, $"/api/queue?platform={platform}&minAge=10&sort=severity")));
        Assert.Equal([high, mid], Ids(await GetJson(client, $"/api/queue?platform={platform}&maxAge=60")));
        var first = bySeverity.GetProperty("items")[0];
        Assert.True(first.GetProperty("ageSeconds").GetInt64() >= 59);
    }

    [Theory]
    [InlineData("severity")]
    [InlineData("age")]
    public async Task Queue_keyset_pages_visit_every_item_once(string sort)
    {
        var platform = "page-" + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
            ids.Add(await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, MaxSeverity = i % 3, TopScore = i / 10.0, Age = TimeSpan.FromMinutes(i + 1) }));
        using var client = app.ClientFor("mod1");
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await GetJson(client, $"/api/queue?platform={platform}&sort={sort}&limit=3" + (cursor is null ? "" : "&after=" + cursor));
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        } while (cursor is not null);
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Item_shows_text_hits_scores_versions_record_and_earlier_decisions_and_audits_the_view()
    {
        var author = "author-" + Guid.NewGuid().ToString("N")[..6];
        var earlier = await app.Fixtures.InsertAsync(new PostSpec { AuthorId = author, Action = ModerationActions.Block, InQuarantine = false, Age = TimeSpan.FromDays(2) });
        await app.Fixtures.InsertAsync(new PostSpec { AuthorId = author, Action = ModerationActions.Pass, Categories = [], SubLabels = [], InQuarantine = false });
        var id = await app.Fixtures.InsertAsync(new PostSpec { AuthorId = author, Title = "标题", Body = "正文 placeholder-term-a 结束" });
        using var client = app.ClientFor("mod1");

        var item = await GetJson(client, $"/api/items/{id}");

        var text = item.GetProperty("text").GetString()!;
        Assert.Equal("标题\n正文 placeholder-term-a 结束", text);
        var hit = item.GetProperty("hits")[0];
        Assert.Equal("placeholder-term-a", text[hit.GetProperty("start").GetInt32()..hit.GetProperty("end").GetInt32()]);
        Assert.Equal(0.5, item.GetProperty("scores")[0].GetProperty("score").GetDouble());
        Assert.Equal("lex-1", item.GetProperty("versions").GetProperty("lexicon").GetString());
        Assert.Equal("model-1", item.GetProperty("versions").GetProperty("model").GetString());
        Assert.Equal("policy-1", item.GetProperty("versions").GetProperty("policy").GetString());
        Assert.Equal(author, item.GetProperty("record").GetProperty("authorId").GetString());
        Assert.Equal("203.0.113.7", item.GetProperty("record").GetProperty("sourceIp").GetString());
        var previous = item.GetProperty("previousDecisionsOnAuthor");
        Assert.Equal(1, previous.GetArrayLength()); // the block; passes are not listed
        Assert.Equal(earlier, previous[0].GetProperty("decisionId").GetGuid());

        var audited = await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_audit_log WHERE decision_id = @id AND action = 'item.view_personal_data' AND actor = 'mod1-api' AND client_ip IS NOT NULL",
            ("id", id));
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task Confirm_publishes_takedown_and_preservation_after_commit_and_opens_a_report_case()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec { Categories = [7, 9], SubLabels = ["gambling"] });
        using var client = app.ClientFor("mod1");
        (await Post(client, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();

        using var decided = await Post(client, $"/api/items/{id}/decision", new { action = "confirm", reason = "casino advert", notes = "seen before" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        Assert.True(await app.Harness.Published.Any<TakedownRequested>(x =>
            x.Context.Message.DecisionId == id && x.Context.Message.RequestedBy == "mod1-api" && x.Context.Message.Categories.SequenceEqual([7, 9])
            && x.Context.Message.Reason == "casino advert"));
        // The preservation request names the evidence the worker hashed when it stored the decision.
        var evidence = await app.Fixtures.ScalarAsync<string>("SELECT evidence_sha256 FROM decisions WHERE decision_id = @id", ("id", id));
        Assert.Matches("^[0-9a-f]{64}$", evidence);
        Assert.True(await app.Harness.Published.Any<RecordPreservationRequested>(x =>
            x.Context.Message.DecisionId == id && x.Context.Message.EvidenceSha256 == evidence && x.Context.Message.Categories.SequenceEqual([7, 9])));
        Assert.Equal("confirmed", await app.Fixtures.ScalarAsync<string>("SELECT status FROM quarantine WHERE decision_id = @id", ("id", id)));
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM takedowns WHERE decision_id = @id AND requested_by = 'mod1-api'", ("id", id)));
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM report_cases WHERE decision_id = @id AND categories = '{7,9}' AND due_at = opened_at + interval '24 hours'", ("id", id)));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_outbox WHERE published_at IS NULL AND payload->>'decisionId' = @id", ("id", id.ToString())));
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_audit_log WHERE decision_id = @id AND action = 'item.confirm'", ("id", id)));
        Assert.True(await app.Fixtures.ScalarAsync<bool>(
            "SELECT p.legal_hold FROM post_records p JOIN decisions d USING (platform, content_id, version) WHERE d.decision_id = @id", ("id", id)));

        using var again = await Post(client, $"/api/items/{id}/decision", new { action = "release", reason = "changed my mind" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Confirm_can_correct_the_categories_carried_to_the_case()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec { Categories = [7] });
        using var client = app.ClientFor("mod2");
        (await Post(client, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        (await Post(client, $"/api/items/{id}/decision", new { action = "confirm", reason = "it is fraud", categories = new[] { 9 } })).EnsureSuccessStatusCode();
        Assert.True(await app.Harness.Published.Any<TakedownRequested>(x => x.Context.Message.DecisionId == id && x.Context.Message.Categories.SequenceEqual([9])));
        Assert.Equal(1L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM report_cases WHERE decision_id = @id AND categories = '{9}'", ("id", id)));
    }

    [Fact]
    public async Task Release_publishes_ContentReleased_and_the_item_leaves_the_queue()
    {
        var platform = "rel-" + Guid.NewGuid().ToString("N")[..6];
        var id = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform });
        using var client = app.ClientFor("mod1");
        (await Post(client, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        (await Post(client, $"/api/items/{id}/decision", new { action = "release", reason = "a quotation, not an advert" })).EnsureSuccessStatusCode();

        Assert.True(await app.Harness.Published.Any<ContentReleased>(x =>
            x.Context.Message.DecisionId == id && x.Context.Message.ReleasedBy == "mod1-api" && x.Context.Message.Reason == "a quotation, not an advert"));
        Assert.False(await app.Harness.Published.Any<TakedownRequested>(x => x.Context.Message.DecisionId == id));
        Assert.Empty(Ids(await GetJson(client, $"/api/queue?platform={platform}")));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM report_cases WHERE decision_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Escalate_moves_the_item_to_the_supervisors_queue_where_only_supervisors_decide()
    {
        var platform = "esc-" + Guid.NewGuid().ToString("N")[..6];
        var id = await app.Fixtures.InsertAsync(new PostSpec { Platform = platform });
        using var mod = app.ClientFor("mod1");
        using var sup = app.ClientFor("sup");
        (await Post(mod, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        (await Post(mod, $"/api/items/{id}/decision", new { action = "escalate", reason = "political, not sure" })).EnsureSuccessStatusCode();

        Assert.Empty(Ids(await GetJson(mod, $"/api/queue?platform={platform}")));
        Assert.Equal([id], Ids(await GetJson(sup, $"/api/queue?platform={platform}&status=escalated")));
        using var modClaim = await Post(mod, $"/api/items/{id}/claim");
        Assert.Equal(HttpStatusCode.Forbidden, modClaim.StatusCode);

        (await Post(sup, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        (await Post(sup, $"/api/items/{id}/decision", new { action = "confirm", reason = "supervisor: prohibited" })).EnsureSuccessStatusCode();
        var item = await GetJson(sup, $"/api/items/{id}");
        Assert.Equal("confirmed", item.GetProperty("review").GetProperty("status").GetString());
        Assert.Equal("mod1-api", item.GetProperty("review").GetProperty("escalatedBy").GetString());
        Assert.Equal("political, not sure", item.GetProperty("review").GetProperty("escalationReason").GetString());
    }

    [Fact]
    public async Task Deciding_needs_your_own_live_claim()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod1 = app.ClientFor("mod1");
        using var mod2 = app.ClientFor("mod2");
        using var unclaimed = await Post(mod1, $"/api/items/{id}/decision", new { action = "release", reason = "fine" });
        Assert.Equal(HttpStatusCode.Conflict, unclaimed.StatusCode);
        Assert.Contains("Claim the item first", await unclaimed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        (await Post(mod1, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        using var other = await Post(mod2, $"/api/items/{id}/decision", new { action = "release", reason = "fine" });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("claimed by mod1-api", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lapsed_lease_frees_the_item_for_someone_else()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod1 = app.ClientFor("mod1");
        using var mod2 = app.ClientFor("mod2");
        (await Post(mod1, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        using (var blocked = await Post(mod2, $"/api/items/{id}/claim"))
            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);

        app.Time.Advance(TimeSpan.FromMinutes(11)); // default lease is 10 minutes
        using var taken = await Post(mod2, $"/api/items/{id}/claim");
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        using var late = await Post(mod1, $"/api/items/{id}/decision", new { action = "release", reason = "fine" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Unclaim_gives_the_item_back()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod1 = app.ClientFor("mod1");
        using var mod2 = app.ClientFor("mod2");
        (await Post(mod1, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        (await Post(mod1, $"/api/items/{id}/unclaim")).EnsureSuccessStatusCode();
        (await Post(mod2, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Bad_input_gets_a_400_problem_naming_the_field()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod1");
        (await Post(client, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();

        await AssertProblem(await Post(client, $"/api/items/{id}/decision", new { action = "confirm", reason = "  " }), "reason");
        await AssertProblem(await Post(client, $"/api/items/{id}/decision", new { action = "delete", reason = "x" }), "action");
        await AssertProblem(await Post(client, $"/api/items/{id}/decision", new { action = "confirm", reason = "x", categories = new[] { 12 } }), "categories");
        await AssertProblem(await Post(client, $"/api/items/{id}/notes", new { text = "" }), "text");
        await AssertProblem(await client.GetAsync("/api/queue?category=abc"), "category");
        await AssertProblem(await client.GetAsync("/api/queue?sort=random"), "sort");
        await AssertProblem(await client.GetAsync("/api/queue?after=not-a-cursor"), "after");
        await AssertProblem(await client.GetAsync("/api/queue?serviceType=fax"), "serviceType");
        await AssertProblem(await client.GetAsync("/api/queue?limit=100000"), "limit");
        using var missing = await client.GetAsync($"/api/items/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertProblem(HttpResponseMessage response, string field)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {body}");
        }
    }

    [Fact]
    public async Task Notes_are_appended_with_author_and_time()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var client = app.ClientFor("mod2");
        (await Post(client, $"/api/items/{id}/notes", new { text = "first look" })).EnsureSuccessStatusCode();
        (await Post(client, $"/api/items/{id}/notes", new { text = "second look" })).EnsureSuccessStatusCode();
        var notes = (await GetJson(client, $"/api/items/{id}")).GetProperty("review").GetProperty("notes").EnumerateArray()
            .Select(n => (n.GetProperty("author").GetString(), n.GetProperty("text").GetString())).ToList();
        Assert.Equal([("mod2-api", "first look"), ("mod2-api", "second look")], notes);
    }

    [Fact]
    public async Task Supervisor_bulk_decides_many_items_overriding_claims()
    {
        var a = await app.Fixtures.InsertAsync(new PostSpec());
        var b = await app.Fixtures.InsertAsync(new PostSpec());
        var done = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod = app.ClientFor("mod1");
        using var sup = app.ClientFor("sup");
        (await Post(mod, $"/api/items/{b}/claim")).EnsureSuccessStatusCode();
        (await Post(mod, $"/api/items/{done}/claim")).EnsureSuccessStatusCode();
        (await Post(mod, $"/api/items/{done}/decision", new { action = "release", reason = "fine" })).EnsureSuccessStatusCode();

        using var bulk = await Post(sup, "/api/items/bulk-decision", new { decisionIds = new[] { a, b, done }, action = "release", reason = "spam wave, all benign" });
        var results = (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("decisionId").GetGuid(), r => r.GetProperty("outcome").GetString());
        Assert.Equal("done", results[a]);
        Assert.Equal("done", results[b]);
        Assert.Equal("conflict", results[done]);
        Assert.True(await app.Harness.Published.Any<ContentReleased>(x => x.Context.Message.DecisionId == a));
        Assert.True(await app.Harness.Published.Any<ContentReleased>(x => x.Context.Message.DecisionId == b));
    }

    [Fact]
    public async Task Export_writes_decided_items_as_training_rows()
    {
        var confirmed = await app.Fixtures.InsertAsync(new PostSpec { Title = "T\tab", Body = "say \"hi\"\nplaceholder-term-a", Categories = [9, 7] });
        var released = await app.Fixtures.InsertAsync(new PostSpec { Body = "harmless placeholder-term-a text" });
        using var mod = app.ClientFor("mod1");
        foreach (var (id, action) in new[] { (confirmed, "confirm"), (released, "release") })
        {
            (await Post(mod, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
            (await Post(mod, $"/api/items/{id}/decision", new { action, reason = "export test" })).EnsureSuccessStatusCode();
        }
        using var admin = app.ClientFor("admin");
        using var response = await admin.GetAsync("/api/export/training.tsv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/tab-separated-values", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Equal("text\torig_label\tcat\tsplit\tsource", lines[0]);
        Assert.Contains("\"T ab say \"\"hi\"\" placeholder-term-a\"\tconfirmed\t9\t\tmoderator", lines);
        Assert.Contains("harmless placeholder-term-a text\treleased\t0\t\tmoderator", lines);
    }

    [Fact]
    public async Task Audit_log_is_append_only_in_the_database()
    {
        using var aud = app.ClientFor("aud");
        var log = await GetJson(aud, "/api/audit?limit=5");
        Assert.True(log.GetArrayLength() >= 1);
        await using var conn = await app.Db.OpenConnectionAsync();
        await using var update = new NpgsqlCommand("UPDATE review_audit_log SET actor = 'someone-else'", conn);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());
        Assert.Contains("append-only", ex.MessageText, StringComparison.Ordinal);
        await using var delete = new NpgsqlCommand("DELETE FROM review_audit_log", conn);
        await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Every_action_is_audited_with_who_when_and_from_where()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod = app.ClientFor("mod1");
        await GetJson(mod, $"/api/items/{id}");
        (await Post(mod, $"/api/items/{id}/claim")).EnsureSuccessStatusCode();
        (await Post(mod, $"/api/items/{id}/notes", new { text = "n" })).EnsureSuccessStatusCode();
        (await Post(mod, $"/api/items/{id}/decision", new { action = "escalate", reason = "unsure" })).EnsureSuccessStatusCode();

        using var aud = app.ClientFor("aud");
        var log = await GetJson(aud, $"/api/audit?decisionId={id}");
        var actions = log.EnumerateArray().Select(e => e.GetProperty("action").GetString()).Reverse().ToList();
        Assert.Equal([AuditActions.ViewPersonalData, AuditActions.Claim, AuditActions.Note, AuditActions.Escalate], actions);
        Assert.All(log.EnumerateArray(), e =>
        {
            Assert.Equal("mod1-api", e.GetProperty("actor").GetString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("clientIp").GetString()));
            Assert.Equal("api-key", e.GetProperty("authMethod").GetString());
        });
    }

    [Fact]
    public async Task OpenApi_description_lists_the_endpoints()
    {
        using var client = app.ClientFor("aud");
        var doc = await GetJson(client, "/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/queue", out _));
        Assert.True(paths.TryGetProperty("/api/items/{id}/decision", out _));
        Assert.True(paths.TryGetProperty("/api/export/training.tsv", out _));
    }

    private static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("decisionId").GetGuid()).ToList();
}
