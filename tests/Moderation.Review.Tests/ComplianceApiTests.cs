using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Moderation.Contracts;
using Moderation.Core.Ledger;
using Moderation.Review.Auth;
using Moderation.Storage.Compliance;

namespace Moderation.Review.Tests;

/// <summary>The review app with two compliance officers and the operator's signing key (generated for the test class).</summary>
public sealed class ComplianceReviewAppFixture : ReviewAppFixture
{
    public LedgerSigner Signer { get; } = LedgerSigner.Generate();

    public static readonly string[] Officers = ["comp1", "comp2"];

    protected override void Configure(IWebHostBuilder web)
    {
        web.UseSetting("Moderation:Ledger:SigningKey", Signer.PrivateKeyPem);
        for (var k = 0; k < Officers.Length; k++)
        {
            var i = Users.Count + k;
            web.UseSetting($"Moderation:Review:ApiKeys:{i}:Name", Officers[k] + "-api");
            web.UseSetting($"Moderation:Review:ApiKeys:{i}:KeySha256", ReviewerDirectory.HashApiKey("key-" + Officers[k]));
            web.UseSetting($"Moderation:Review:ApiKeys:{i}:Roles:0", ReviewRoles.Compliance);
        }
    }
}

/// <summary>
/// Lawful requests through the review API: register → approve by a second officer → signed export → download → verified
/// offline with only the public key; the officer who registered a request cannot approve it; auditors read, never act.
/// </summary>
public sealed class ComplianceApiTests(ComplianceReviewAppFixture app) : IClassFixture<ComplianceReviewAppFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<(string Platform, List<string> ContentIds)> PostsAsync(int count)
    {
        var platform = "lawful-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var spec = new PostSpec { Platform = platform, AuthorId = i % 2 == 0 ? "suspect" : "bystander", Action = ModerationActions.Block, InQuarantine = false, Body = $"第{i}条 placeholder-term-a 内容" };
            await app.Fixtures.InsertAsync(spec);
            ids.Add(spec.ContentId);
        }
        return (platform, ids);
    }

    private async Task<LawfulRequest> RegisterAsync(string platform, string by = "comp1")
    {
        using var response = await app.ClientFor(by).PostAsJsonAsync("/api/compliance/requests", new
        {
            authority = "某市公安局网安支队", documentNumber = "公网调〔2026〕17号", legalBasis = "网络安全法第二十八条", platform, authorId = "suspect",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LawfulRequest>(Json))!;
    }

    private async Task<HttpResponseMessage> DecideAsync(Guid id, string by, bool approve = true) =>
        await app.ClientFor(by).PostAsJsonAsync($"/api/compliance/requests/{id}/decision", new { approve, reason = "document checked against the register" });

    [Fact]
    public async Task A_request_goes_register_approve_export_and_the_download_verifies_offline()
    {
        var (platform, _) = await PostsAsync(5);
        var request = await RegisterAsync(platform);
        Assert.Equal(LawfulRequestStatus.Pending, request.Status);

        using (var self = await DecideAsync(request.RequestId, "comp1"))
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        using (var early = await app.ClientFor("comp2").PostAsync($"/api/compliance/requests/{request.RequestId}/export", null))
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        using (var approved = await DecideAsync(request.RequestId, "comp2"))
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        using (var export = await app.ClientFor("comp1").PostAsync($"/api/compliance/requests/{request.RequestId}/export", null))
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using (var again = await app.ClientFor("comp1").PostAsync($"/api/compliance/requests/{request.RequestId}/export", null))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var zip = await app.ClientFor("comp2").GetByteArrayAsync($"/api/compliance/requests/{request.RequestId}/export.zip");
        var dir = Directory.CreateTempSubdirectory("lawful-export-").FullName;
        try
        {
            await using (var stream = new MemoryStream(zip))
                await ZipFile.ExtractToDirectoryAsync(stream, dir);
            using var publicKey = LedgerVerifierKey.FromPem(app.Signer.PublicKeyPem);

            var result = await ExportVerifier.VerifyAsync(dir, publicKey, default);

            Assert.True(result.Valid, string.Join('\n', result.Problems));
            Assert.Equal(3, result.Records); // the suspect's three posts, not the bystander's two
            var lines = await File.ReadAllLinesAsync(Path.Combine(dir, ExportBundle.RecordsFile));
            Assert.All(lines, l => Assert.Contains("\"authorId\":\"suspect\"", l, StringComparison.Ordinal));

            // One character of one exported record changed: the offline check names it.
            lines[1] = lines[1].Replace("内容", "内客", StringComparison.Ordinal);
            await File.WriteAllLinesAsync(Path.Combine(dir, ExportBundle.RecordsFile), lines);
            var tampered = await ExportVerifier.VerifyAsync(dir, publicKey, default);
            Assert.False(tampered.Valid);
            Assert.Contains(tampered.Problems, p => p.StartsWith("line 2", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        await using var conn = await app.Db.OpenConnectionAsync();
        var actions = (await conn.QueryAsync<(string Actor, string Action)>(
            "SELECT actor, action FROM review_audit_log WHERE details->>'requestId' = @Id ORDER BY audit_id", new { Id = request.RequestId.ToString() })).ToList();
        Assert.Equal(
            [("comp1-api", LawfulRequestAudit.Register), ("comp2-api", LawfulRequestAudit.Approve), ("comp1-api", LawfulRequestAudit.Export), ("comp2-api", LawfulRequestAudit.Download)],
            actions);
    }

    [Fact]
    public async Task The_officer_who_registered_a_request_cannot_approve_or_reject_it()
    {
        var (platform, _) = await PostsAsync(1);
        var request = await RegisterAsync(platform, by: "comp2");

        using var approve = await DecideAsync(request.RequestId, "comp2");
        using var reject = await DecideAsync(request.RequestId, "comp2", approve: false);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (approve.StatusCode, reject.StatusCode));
        var stored = await app.ClientFor("comp1").GetFromJsonAsync<LawfulRequest>($"/api/compliance/requests/{request.RequestId}", Json);
        Assert.Equal(LawfulRequestStatus.Pending, stored!.Status);
        // The database refuses it too, whatever the application does.
        await using var conn = await app.Db.OpenConnectionAsync();
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => conn.ExecuteAsync(
            "UPDATE lawful_requests SET status = 'approved', decided_by = registered_by WHERE request_id = @Id", new { Id = request.RequestId }));
    }

    [Fact]
    public async Task Auditors_read_requests_but_cannot_act_and_moderators_see_none()
    {
        var (platform, _) = await PostsAsync(1);
        var request = await RegisterAsync(platform);

        using var list = await app.ClientFor("aud").GetAsync("/api/compliance/requests?status=pending");
        using var register = await app.ClientFor("aud").PostAsJsonAsync("/api/compliance/requests", new { authority = "x", documentNumber = "y", legalBasis = "z", platform });
        using var approve = await DecideAsync(request.RequestId, "aud");
        using var moderator = await app.ClientFor("mod1").GetAsync("/api/compliance/requests");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(request.RequestId, (await list.Content.ReadFromJsonAsync<List<LawfulRequest>>(Json))!.Select(r => r.RequestId));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (register.StatusCode, approve.StatusCode, moderator.StatusCode));
    }

    [Fact]
    public async Task A_request_without_authority_document_or_basis_is_refused()
    {
        using var response = await app.ClientFor("comp1").PostAsJsonAsync("/api/compliance/requests", new { platform = "p", sourceIp = "not-an-ip" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        foreach (var field in new[] { "authority", "documentNumber", "legalBasis", "sourceIp" })
            Assert.Contains(field, body, StringComparison.Ordinal);
    }
}
