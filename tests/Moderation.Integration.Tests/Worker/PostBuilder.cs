namespace Moderation.Integration.Tests.Worker;

/// <summary>Plain JSON posts as a PHP, Go or Node publisher would write them: a dictionary, not a .NET contract type.</summary>
public static class PostBuilder
{
    public static Dictionary<string, object?> Post(string contentId, string body, long version = 1, string platform = "it-platform") => new()
    {
        ["platform"] = platform,
        ["contentId"] = contentId,
        ["version"] = version,
        ["serviceType"] = "forum",
        ["authorId"] = "author-" + contentId,
        ["title"] = "title",
        ["body"] = body,
        ["urls"] = new[] { "https://example.org/x" },
        ["publishedAt"] = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("O"),
        ["sourceIp"] = "203.0.113.77",
        ["sourcePort"] = 40000,
    };

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
