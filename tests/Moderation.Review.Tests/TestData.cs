using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Moderation.Contracts;
using Moderation.Core.Decisions;
using Npgsql;

namespace Moderation.Review.Tests;

public sealed record PostSpec
{
    public string Platform { get; init; } = "forum-a";
    public string ContentId { get; init; } = "c-" + Guid.NewGuid().ToString("N")[..10];
    public long Version { get; init; } = 1;
    public string ServiceType { get; init; } = ServiceTypes.Forum;
    public string AuthorId { get; init; } = "author-1";
    public string? Title { get; init; }
    public string Body { get; init; } = "placeholder-term-a appears here";
    public string Action { get; init; } = ModerationActions.Quarantine;
    public int[] Categories { get; init; } = [7];
    public string[] SubLabels { get; init; } = ["gambling"];
    public int MaxSeverity { get; init; } = 2;
    public double TopScore { get; init; } = 0.5;
    public TimeSpan Age { get; init; } = TimeSpan.FromMinutes(5);
    public IReadOnlyList<KeywordHit>? Hits { get; init; }
    public bool InQuarantine { get; init; } = true;
    public string SourceIp { get; init; } = "203.0.113.7";
}

/// <summary>Fixture rows written straight into the worker's tables, the way the worker leaves them.</summary>
public sealed class TestData(NpgsqlDataSource db, FakeTimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Guid> InsertAsync(PostSpec p)
    {
        var id = DeterministicIds.Decision(p.Platform, p.ContentId, p.Version);
        var text = p.Title is { Length: > 0 } ? p.Title + "\n" + p.Body : p.Body;
        var hits = p.Hits ?? DefaultHits(text, p);
        var now = time.GetUtcNow();
        var created = now - p.Age;
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO post_records (platform, content_id, version, service_type, author_id, title, body, published_at, source_ip,
                source_port, received_at, content_sha256, retain_until)
            VALUES (@p, @c, @v, @st, @a, @t, @b, @pub, @ip::inet, 40000, @pub, @sha, @ret);
            INSERT INTO decisions (decision_id, platform, content_id, version, action, categories, scores, hits, reasons,
                lexicon_version, model_version, policy_version, decided_at, evidence_json, evidence_sha256)
            VALUES (@id, @p, @c, @v, @act, @cats, @scores::jsonb, @hits::jsonb, '["held by test"]', 'lex-1', 'model-1', 'policy-1', @created, '{}', @evsha);
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("p", p.Platform);
            cmd.Parameters.AddWithValue("c", p.ContentId);
            cmd.Parameters.AddWithValue("v", p.Version);
            cmd.Parameters.AddWithValue("st", p.ServiceType);
            cmd.Parameters.AddWithValue("a", p.AuthorId);
            cmd.Parameters.AddWithValue("t", (object?)p.Title ?? DBNull.Value);
            cmd.Parameters.AddWithValue("b", p.Body);
            cmd.Parameters.AddWithValue("pub", created.AddSeconds(-2));
            cmd.Parameters.AddWithValue("ip", p.SourceIp);
            cmd.Parameters.AddWithValue("sha", Core.Posts.PostIntake.Sha256Hex(text));
            cmd.Parameters.AddWithValue("ret", now.AddDays(60));
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("act", p.Action);
            cmd.Parameters.AddWithValue("cats", p.Categories);
            cmd.Parameters.AddWithValue("scores", JsonSerializer.Serialize(p.Categories.Select(c => new CategoryScore(c, p.SubLabels.FirstOrDefault(), p.TopScore, "model")), Json));
            cmd.Parameters.AddWithValue("hits", JsonSerializer.Serialize(hits, Json));
            cmd.Parameters.AddWithValue("created", created);
            cmd.Parameters.AddWithValue("evsha", new string('e', 64));
            await cmd.ExecuteNonQueryAsync();
        }
        if (p.InQuarantine)
        {
            await using var q = new NpgsqlCommand("""
                INSERT INTO quarantine (decision_id, platform, content_id, version, service_type, categories, sub_labels, max_severity, top_score, created_at)
                VALUES (@id, @p, @c, @v, @st, @cats, @subs, @sev, @score, @created)
                """, conn, tx);
            q.Parameters.AddWithValue("id", id);
            q.Parameters.AddWithValue("p", p.Platform);
            q.Parameters.AddWithValue("c", p.ContentId);
            q.Parameters.AddWithValue("v", p.Version);
            q.Parameters.AddWithValue("st", p.ServiceType);
            q.Parameters.AddWithValue("cats", p.Categories);
            q.Parameters.AddWithValue("subs", p.SubLabels);
            q.Parameters.AddWithValue("sev", p.MaxSeverity);
            q.Parameters.AddWithValue("score", p.TopScore);
            q.Parameters.AddWithValue("created", created);
            await q.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return id;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    private static List<KeywordHit> DefaultHits(string text, PostSpec p)
    {
        const string term = "placeholder-term-a";
        var at = text.IndexOf(term, StringComparison.Ordinal);
        return at < 0 || p.Categories.Length == 0 ? [] : [new KeywordHit(term, p.Categories[0], p.SubLabels.FirstOrDefault(), p.MaxSeverity, at, at + term.Length, term)];
    }
}
