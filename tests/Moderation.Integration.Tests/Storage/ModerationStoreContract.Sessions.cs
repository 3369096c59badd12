using Moderation.Storage.Review;

namespace Moderation.Integration.Tests.Storage;

/// <summary>
/// The review page's server-side sessions and the audit log's hardening (issue 12), on both providers: sessions are
/// found by their token's hash, touched, revoked with an audit row in the same transaction, listed while live and
/// purged once long ended; every string the audit log stores is cleaned and capped the same way.
/// </summary>
public abstract partial class ModerationStoreContract
{
    protected abstract IReviewSessions Sessions { get; }

    private static NewSession Session(string user, DateTimeOffset at, TimeSpan? lifetime = null, string? agent = "agent/1") =>
        new(Guid.NewGuid(), Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), user, ["moderator"], "password", "fp-" + user,
            at, at + (lifetime ?? TimeSpan.FromHours(10)), "192.0.2.44", agent);

    [Fact]
    public async Task A_session_is_found_by_its_token_hash_touched_and_revoked_with_its_audit_row()
    {
        var s = Session("sess-" + Guid.NewGuid().ToString("N")[..6], Now, agent: "ua/" + new string('u', 5000));
        await Sessions.CreateAsync(s, default);

        var found = await Sessions.FindByTokenAsync(s.TokenSha256, default);
        Assert.NotNull(found);
        Assert.Equal((s.SessionId, s.UserName, "fp-" + s.UserName, Now, Now, Now + TimeSpan.FromHours(10), "192.0.2.44"),
            (found.SessionId, found.UserName, found.Fingerprint, found.CreatedAt, found.LastSeenAt, found.ExpiresAt, found.ClientIp));
        Assert.Equal(["moderator"], found.Roles);
        Assert.True(found.UserAgent!.Length <= AuditText.UserAgentChars);
        Assert.Null(await Sessions.FindByTokenAsync("not-a-token", default));

        await Sessions.TouchAsync(s.SessionId, Now + TimeSpan.FromMinutes(5), default);
        await Sessions.TouchAsync(s.SessionId, Now + TimeSpan.FromMinutes(2), default); // never backwards
        Assert.Equal(Now + TimeSpan.FromMinutes(5), (await Sessions.FindByTokenAsync(s.TokenSha256, default))!.LastSeenAt);

        var admin = Supervisor("an-admin");
        Assert.True(await Sessions.RevokeAsync(s.SessionId, admin, AuditActions.SessionRevoke, SessionEndReasons.RevokedByAdmin, Now + TimeSpan.FromMinutes(6), default));
        Assert.False(await Sessions.RevokeAsync(s.SessionId, admin, AuditActions.SessionRevoke, SessionEndReasons.RevokedByAdmin, Now + TimeSpan.FromMinutes(7), default));
        var ended = (await Sessions.FindByTokenAsync(s.TokenSha256, default))!;
        Assert.Equal((true, "an-admin", SessionEndReasons.RevokedByAdmin), (ended.IsRevoked, ended.RevokedBy, ended.RevokeReason));
        var row = Assert.Single(await Audit.ListAsync(null, "an-admin", null, 10, default));
        Assert.Equal(AuditActions.SessionRevoke, row.Action);
        Assert.Equal(s.SessionId.ToString(), row.Details.GetProperty("sessionId").GetString());
        Assert.Equal(s.UserName, row.Details.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Live_sessions_are_listed_and_a_users_sessions_end_together_and_ended_ones_are_purged()
    {
        var user = "live-" + Guid.NewGuid().ToString("N")[..6];
        var fresh = Session(user, Now);
        var idle = Session(user, Now - TimeSpan.FromHours(3));
        var old = Session(user, Now - TimeSpan.FromHours(11), TimeSpan.FromHours(10));
        var other = Session("other-" + user, Now);
        foreach (var s in new[] { fresh, idle, old, other })
            await Sessions.CreateAsync(s, default);

        var live = await Sessions.ListLiveAsync(user, Now, Now - TimeSpan.FromHours(1), 10, default);
        Assert.Equal([fresh.SessionId], live.Select(s => s.SessionId));
        Assert.Equal(2, (await Sessions.ListLiveAsync(null, Now, Now - TimeSpan.FromHours(1), 1000, default))
            .Count(s => s.SessionId == fresh.SessionId || s.SessionId == other.SessionId));

        Assert.Equal(3, await Sessions.RevokeUserAsync(user, Supervisor("admin-2"), AuditActions.SessionRevoke, SessionEndReasons.RevokedByAdmin, Now, default));
        Assert.Empty(await Sessions.ListLiveAsync(user, Now, Now - TimeSpan.FromDays(1), 10, default));
        Assert.False((await Sessions.FindByTokenAsync(other.TokenSha256, default))!.IsRevoked);

        Assert.True(await Sessions.PurgeAsync(Now + TimeSpan.FromMinutes(1), default) >= 3);
        Assert.Null(await Sessions.FindByTokenAsync(fresh.TokenSha256, default));
        Assert.Null(await Sessions.FindByTokenAsync(old.TokenSha256, default));
        Assert.NotNull(await Sessions.FindByTokenAsync(other.TokenSha256, default));
    }

    [Fact]
    public async Task The_audit_log_stores_every_string_cleaned_and_capped_the_same_way_and_its_own_clock()
    {
        var name = "nul\0name-" + Guid.NewGuid().ToString("N")[..6];
        var actor = new ReviewActor(name + new string('n', 500), ["moderator\u0007"], "password", "192.0.2.9", "agent\u0000/" + new string('a', 30_000), false);
        await Audit.AppendAsync(actor, AuditActions.LoginFailed, null,
            new { text = "line one\nline two\0end", categories = Enumerable.Repeat(7, 100_000), big = new string('b', 10_000), bad = "\ud800x" }, default);

        var row = Assert.Single(await Audit.ListAsync(null, null, null, 1, default));
        Assert.StartsWith("nul\uFFFDname-", row.Actor, StringComparison.Ordinal);
        Assert.Equal(AuditText.ActorChars, row.Actor.Length);
        Assert.EndsWith("…", row.Actor, StringComparison.Ordinal);
        Assert.Equal(["moderator\uFFFD"], row.ActorRoles);
        Assert.StartsWith("agent\uFFFD/", row.UserAgent, StringComparison.Ordinal);
        Assert.Equal(AuditText.UserAgentChars, row.UserAgent!.Length);
        Assert.Equal("line one\nline two\uFFFDend", row.Details.GetProperty("text").GetString());
        Assert.Equal(AuditText.DetailItems, row.Details.GetProperty("categories").GetArrayLength());
        Assert.Equal(AuditText.DetailChars, row.Details.GetProperty("big").GetString()!.Length);
        Assert.Equal("\uFFFDx", row.Details.GetProperty("bad").GetString());
        Assert.NotNull(row.RecordedAt);
    }
}
