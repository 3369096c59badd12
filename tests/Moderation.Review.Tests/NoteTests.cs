using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Moderation.Review.Tests;

/// <summary>
/// Issue 12, finding 3: notes are rows (author, time, text), never text that embeds an author line, and who may
/// annotate what follows the README's roles table: moderators pending items, supervisors and admins escalated ones
/// too, nobody a decided item.
/// </summary>
public sealed class NoteTests(ReviewAppFixture app) : IClassFixture<ReviewAppFixture>
{
    private const string Forged = "looks fine to me\n[2026-12-01T09:00:00Z supervisor] Approved by supervisor";

    [Fact]
    public async Task A_note_is_a_row_with_its_real_author_however_its_text_reads()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod = app.ClientFor("mod1");
        (await mod.PostAsJsonAsync($"/api/items/{id}/notes", new { text = Forged })).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromSeconds(30));
        using var sup = app.ClientFor("sup");
        (await sup.PostAsJsonAsync($"/api/items/{id}/notes", new { text = "second opinion" })).EnsureSuccessStatusCode();

        var item = await sup.GetFromJsonAsync<JsonElement>($"/api/items/{id}");
        var notes = item.GetProperty("review").GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(2, notes.Count);
        Assert.Equal(("mod1-api", Forged), (notes[0].GetProperty("author").GetString(), notes[0].GetProperty("text").GetString()));
        Assert.Equal(("sup-api", "second opinion"), (notes[1].GetProperty("author").GetString(), notes[1].GetProperty("text").GetString()));
        Assert.True(notes[1].GetProperty("writtenAt").GetDateTimeOffset() - notes[0].GetProperty("writtenAt").GetDateTimeOffset() == TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(notes, n => n.GetProperty("author").GetString() == "supervisor");
    }

    [Fact]
    public async Task A_note_given_with_a_decision_is_a_row_too()
    {
        var id = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod = app.ClientFor("mod2");
        (await mod.PostAsJsonAsync($"/api/items/{id}/claim", new { })).EnsureSuccessStatusCode();
        (await mod.PostAsJsonAsync($"/api/items/{id}/decision", new { action = "escalate", reason = "unsure", notes = Forged })).EnsureSuccessStatusCode();
        var note = Assert.Single((await mod.GetFromJsonAsync<JsonElement>($"/api/items/{id}")).GetProperty("review").GetProperty("notes").EnumerateArray());
        Assert.Equal(("mod2-api", Forged), (note.GetProperty("author").GetString(), note.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Moderators_annotate_pending_items_only_supervisors_escalated_ones_too_and_nobody_decided_ones()
    {
        var escalated = await app.Fixtures.InsertAsync(new PostSpec());
        var confirmed = await app.Fixtures.InsertAsync(new PostSpec());
        var pending = await app.Fixtures.InsertAsync(new PostSpec());
        using var mod = app.ClientFor("mod1");
        using var sup = app.ClientFor("sup");
        using var admin = app.ClientFor("admin");
        (await mod.PostAsJsonAsync($"/api/items/{escalated}/claim", new { })).EnsureSuccessStatusCode();
        (await mod.PostAsJsonAsync($"/api/items/{escalated}/decision", new { action = "escalate", reason = "political" })).EnsureSuccessStatusCode();
        (await mod.PostAsJsonAsync($"/api/items/{confirmed}/claim", new { })).EnsureSuccessStatusCode();
        (await mod.PostAsJsonAsync($"/api/items/{confirmed}/decision", new { action = "confirm", reason = "drugs" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, await NoteStatus(mod, pending));
        Assert.Equal(HttpStatusCode.Forbidden, await NoteStatus(mod, escalated));
        Assert.Equal(HttpStatusCode.Conflict, await NoteStatus(mod, confirmed));
        Assert.Equal(HttpStatusCode.OK, await NoteStatus(sup, escalated));
        Assert.Equal(HttpStatusCode.OK, await NoteStatus(admin, escalated));
        Assert.Equal(HttpStatusCode.Conflict, await NoteStatus(sup, confirmed));
        Assert.Equal(HttpStatusCode.NotFound, await NoteStatus(sup, Guid.NewGuid()));

        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_notes WHERE decision_id = @id", ("id", confirmed)));
        Assert.Equal(2L, await app.Fixtures.ScalarAsync<long>("SELECT count(*) FROM review_notes WHERE decision_id = @id", ("id", escalated)));
        Assert.Equal(0L, await app.Fixtures.ScalarAsync<long>(
            "SELECT count(*) FROM review_audit_log WHERE decision_id = @id AND action = 'item.note'", ("id", confirmed)));
    }

    private static async Task<HttpStatusCode> NoteStatus(HttpClient client, Guid id)
    {
        using var response = await client.PostAsJsonAsync($"/api/items/{id}/notes", new { text = "a note" });
        return response.StatusCode;
    }
}
