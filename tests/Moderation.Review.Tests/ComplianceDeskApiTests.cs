using System.Net;
using System.Net.Http.Json;
using Moderation.Contracts;

namespace Moderation.Review.Tests;

/// <summary>The compliance API on real PostgreSQL: roles, the case state machine, and the printed evidence (HTML and PDF).</summary>
public sealed class ComplianceDeskApiTests(ComplianceAppFixture app) : IClassFixture<ComplianceAppFixture>
{
    private const string Chinese = "出售违禁品，联系微信号，今天发货";
    private const string Emoji = "🔥👍";
    private const string Script = "<script>alert(document.cookie)</script>";

    private async Task<Guid> BlockedCase(string platform, string body)
    {
        var decision = await app.Fixtures.InsertAsync(new PostSpec
        {
            Platform = platform, Action = ModerationActions.Block, InQuarantine = false, Title = "标题 title", Body = body, SourceIp = "2001:db8::7",
        });
        return await app.Fixtures.ScalarAsync<Guid>("SELECT case_id FROM report_cases WHERE decision_id = @id", ("id", decision));
    }

    [Fact]
    public async Task Moderators_may_not_see_the_desk_auditors_may_read_but_not_act()
    {
        var kase = await BlockedCase("roles-" + Guid.NewGuid().ToString("N")[..6], "placeholder-term-a");
        using var mod = app.ClientFor("mod1");
        Assert.Equal(HttpStatusCode.Forbidden, (await mod.GetAsync("/api/compliance/cases")).StatusCode);
        using var aud = app.ClientFor("aud");
        Assert.Equal(HttpStatusCode.OK, (await aud.GetAsync("/api/compliance/cases")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await aud.GetAsync($"/api/compliance/cases/{kase}/evidence.html")).StatusCode);
        using var forbidden = await aud.PostAsJsonAsync($"/api/compliance/cases/{kase}/report", new { authority = "CAC", reference = "r-1" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var declare = await aud.PostAsJsonAsync("/api/compliance/incidents", new { platform = "x", description = "y" });
        Assert.Equal(HttpStatusCode.Forbidden, declare.StatusCode);
    }

    [Fact]
    public async Task A_case_goes_open_reported_closed_and_each_step_is_audited()
    {
        var platform = "state-" + Guid.NewGuid().ToString("N")[..6];
        var kase = await BlockedCase(platform, "placeholder-term-a");
        using var comp = app.ClientFor("comp");
        Assert.Equal(HttpStatusCode.Conflict, (await comp.PostAsync($"/api/compliance/cases/{kase}/close", null)).StatusCode);
        using var missing = await comp.PostAsJsonAsync($"/api/compliance/cases/{kase}/report", new { authority = "CAC" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        using var reported = await comp.PostAsJsonAsync($"/api/compliance/cases/{kase}/report", new { authority = "公安网安 PSB", reference = "PSB-77" });
        Assert.Equal(HttpStatusCode.NoContent, reported.StatusCode);
        using var twice = await comp.PostAsJsonAsync($"/api/compliance/cases/{kase}/report", new { authority = "CAC", reference = "again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await comp.PostAsync($"/api/compliance/cases/{kase}/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await comp.PostAsync($"/api/compliance/cases/{Guid.NewGuid()}/close", null)).StatusCode);

        var list = (await comp.GetFromJsonAsync<CaseListDto>($"/api/compliance/cases?platform={platform}&state=closed"))!;
        var row = Assert.Single(list.Cases);
        Assert.Equal("closed", row.State);
        Assert.Equal("comp-api", row.ReportedBy);
        Assert.Equal("公安网安 PSB", row.Authority);
        Assert.Equal(2L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_audit_log WHERE action IN ('compliance.case.reported', 'compliance.case.closed') AND details->>'caseId' = @id", ("id", kase.ToString())));
    }

    [Fact]
    public async Task The_evidence_print_view_shows_the_post_exactly_as_posted_with_the_script_as_text()
    {
        var body = $"{Chinese} {Emoji}\n{Script} placeholder-term-a";
        var kase = await BlockedCase("print-" + Guid.NewGuid().ToString("N")[..6], body);
        using var aud = app.ClientFor("aud");
        using var response = await aud.GetAsync($"/api/compliance/cases/{kase}/evidence.html");
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains(body, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("[2001:db8::7]:40000", html, StringComparison.Ordinal);
        Assert.Contains("placeholder-term-a", html, StringComparison.Ordinal);
        Assert.Contains("Record SHA-256", html, StringComparison.Ordinal);
        Assert.Contains("snapshot intact", html, StringComparison.Ordinal);
        Assert.Contains("the stored row equals the snapshot", html, StringComparison.Ordinal);
        // The chain proof from the record ledger: the record's and the decision's entries with their hashes.
        Assert.Contains("ledger entr(y/ies)", html, StringComparison.Ordinal);
        Assert.Contains("Entry record (", html, StringComparison.Ordinal);
        Assert.True(await app.Fixtures.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM review_audit_log WHERE action = 'compliance.evidence.view' AND details->>'caseId' = @id)", ("id", kase.ToString())));
    }

    [Fact]
    public async Task The_evidence_pdf_reads_back_with_chinese_the_script_as_text_emoji_substituted_and_the_hit_offsets()
    {
        var body = $"{Chinese} {Emoji}\n{Script} placeholder-term-a";
        var kase = await BlockedCase("pdf-" + Guid.NewGuid().ToString("N")[..6], body);
        using var comp = app.ClientFor("comp");
        using var response = await comp.GetAsync($"/api/compliance/cases/{kase}/evidence.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var text = PdfText.Of(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(Chinese, text, StringComparison.Ordinal);
        Assert.Contains(Script, text, StringComparison.Ordinal);
        Assert.Contains("[U+1F525][U+1F44D]", text, StringComparison.Ordinal);
        Assert.Contains("标题 title", text, StringComparison.Ordinal);
        // The hit on placeholder-term-a, with its offsets into title + newline + body.
        var at = ("标题 title\n" + body).IndexOf("placeholder-term-a", StringComparison.Ordinal);
        Assert.Contains($"[{at}, {at + "placeholder-term-a".Length})", text, StringComparison.Ordinal);
        Assert.Contains("2001:db8::7", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_edited_in_the_database_after_the_decision_shows_as_altered_in_its_evidence()
    {
        var kase = await BlockedCase("tamper-" + Guid.NewGuid().ToString("N")[..6], "原文 placeholder-term-a");
        using var aud = app.ClientFor("aud");
        var before = await aud.GetStringAsync($"/api/compliance/cases/{kase}/evidence.html");
        Assert.Contains("matches the text above", before, StringComparison.Ordinal);

        await app.Fixtures.ScalarAsync<int?>("""
            UPDATE post_records r SET body = '改过 placeholder-term-a' FROM report_cases c JOIN decisions d ON d.decision_id = c.decision_id
            WHERE c.case_id = @id AND r.platform = d.platform AND r.content_id = d.content_id AND r.version = d.version
            """, ("id", kase));
        var after = await aud.GetStringAsync($"/api/compliance/cases/{kase}/evidence.html");
        Assert.Contains("改过 placeholder-term-a", after, StringComparison.Ordinal);
        Assert.Contains("DOES NOT MATCH the text above", after, StringComparison.Ordinal);
        Assert.Contains("THE STORED ROW DIFFERS FROM THE SNAPSHOT", after, StringComparison.Ordinal);
        Assert.Contains("snapshot intact", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_incident_report_pdf_lists_the_frozen_records_and_the_description()
    {
        var platform = "increp-" + Guid.NewGuid().ToString("N")[..6];
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "frozen-1", AuthorId = "u-5" });
        await app.Fixtures.InsertAsync(new PostSpec { Platform = platform, ContentId = "frozen-2", AuthorId = "u-5", Action = ModerationActions.Pass, InQuarantine = false, Categories = [] });
        using var comp = app.ClientFor("comp");
        using var declared = await comp.PostAsJsonAsync("/api/compliance/incidents", new { platform, description = "数据泄露 data leak <b>bold</b>" });
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        var pdf = await comp.GetByteArrayAsync(declared.Headers.Location!.ToString().Replace("report.html", "report.pdf", StringComparison.Ordinal));
        var text = PdfText.Of(pdf);
        Assert.Contains("数据泄露 data leak <b>bold</b>", text, StringComparison.Ordinal);
        Assert.Contains("Records frozen: 2", text, StringComparison.Ordinal);
        Assert.Contains("frozen-1", text, StringComparison.Ordinal);
        Assert.Contains("frozen-2", text, StringComparison.Ordinal);
        Assert.Contains("24h 00m left", text, StringComparison.Ordinal);
    }

    private sealed record CaseDto(Guid CaseId, string State, bool Overdue, string? ReportedBy, string? Authority);

    private sealed record CaseListDto(DateTimeOffset Now, List<CaseDto> Cases);
}
