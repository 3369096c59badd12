using Moderation.Contracts;
using Moderation.Core.Decisions;
using Moderation.Core.Events;
using Moderation.Core.Posts;
using Moderation.Storage;
using Microsoft.Extensions.Time.Testing;
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

    /// <summary>The keyword hit's severity (1–3, as the lexicon grades them); 0 = no keyword hit, the model alone held it.</summary>
    public int MaxSeverity { get; init; } = 2;

    public double TopScore { get; init; } = 0.5;
    public TimeSpan Age { get; init; } = TimeSpan.FromMinutes(5);
    public IReadOnlyList<KeywordHit>? Hits { get; init; }
    public bool InQuarantine { get; init; } = true;
    public string SourceIp { get; init; } = "203.0.113.7";
}

/// <summary>
/// Fixture posts written through the worker's own store code (<see cref="IModerationStore.SaveAsync"/>), so the
/// rows, the evidence snapshot and the derived queue keys are exactly what the worker leaves.
/// </summary>
public sealed class TestData(IModerationStore store, NpgsqlDataSource db, FakeTimeProvider time)
{
    public async Task<Guid> InsertAsync(PostSpec p)
    {
        if (p.MaxSeverity is < 0 or > 3)
            throw new ArgumentOutOfRangeException(nameof(p), "Keyword severities run from 1 to 3 (0 = no keyword hit).");
        if (p.InQuarantine != (p.Action == ModerationActions.Quarantine))
            throw new ArgumentException("Only a quarantine decision has a queue row, and it always has one.", nameof(p));
        var now = time.GetUtcNow();
        var created = now - p.Age;
        var record = PostIntake.Accept(new ContentPublished
        {
            Platform = p.Platform, ContentId = p.ContentId, Version = p.Version, ServiceType = p.ServiceType, AuthorId = p.AuthorId,
            Title = p.Title, Body = p.Body, PublishedAt = created.AddSeconds(-2), SourceIp = p.SourceIp, SourcePort = 40000,
        }, new IntakeOptions { RetentionDays = 60 }, created);
        var sub = p.SubLabels.FirstOrDefault();
        var decision = new ModerationDecision(
            DeterministicIds.Decision(p.Platform, p.ContentId, p.Version), p.Action, p.Categories,
            p.Categories.Select(c => new CategoryScore(c, sub, p.TopScore, "model")).ToList(),
            p.Hits ?? DefaultHits(record.Text, p), ["held by test"], "lex-1", "model-1", "policy-1", created);
        var (json, sha) = EvidenceSnapshot.Create(record, decision);
        var outcome = (await store.SaveAsync([new ModeratedPost(record, decision, json, sha, created.AddHours(24))], CancellationToken.None)).Single();
        if (!outcome.Inserted)
            throw new InvalidOperationException($"{p.Platform}/{p.ContentId} v{p.Version} is already stored.");
        return decision.DecisionId;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>A hit on the term where it really stands in the classified text, as the keyword engine reports it.</summary>
    private static List<KeywordHit> DefaultHits(string text, PostSpec p)
    {
        const string term = "placeholder-term-a";
        var at = text.IndexOf(term, StringComparison.Ordinal);
        return at < 0 || p.Categories.Length == 0 || p.MaxSeverity == 0
            ? []
            : [new KeywordHit(term, p.Categories[0], p.SubLabels.FirstOrDefault(), p.MaxSeverity, at, at + term.Length, term)];
    }
}
