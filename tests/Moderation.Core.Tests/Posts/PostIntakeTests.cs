using Moderation.Contracts;
using Moderation.Core.Posts;

namespace Moderation.Core.Tests.Posts;

public sealed class PostIntakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
    private static readonly IntakeOptions Options = new() { MaxTextChars = 1000, RetentionDays = 90 };

    private static ContentPublished Valid() => new()
    {
        Platform = "p",
        ContentId = "c1",
        Version = 2,
        ServiceType = ServiceTypes.Forum,
        AuthorId = "a",
        Title = "标题",
        Body = "正文",
        PublishedAt = Now.AddMinutes(-1),
        SourceIp = "203.0.113.9",
        SourcePort = 443,
    };

    private static string Reject(ContentPublished m) =>
        Assert.Throws<PostRejectedException>(() => PostIntake.Accept(m, Options, Now)).Reason;

    [Fact]
    public void Accepts_a_valid_post_and_records_hash_retention_and_text()
    {
        var r = PostIntake.Accept(Valid(), Options, Now);
        Assert.Equal("标题\n正文", r.Text);
        Assert.Equal(PostIntake.Sha256Hex("标题\n正文"), r.ContentSha256);
        Assert.Equal(Now.AddDays(90), r.RetainUntil);
        Assert.Equal(Now, r.ReceivedAt);
        Assert.Equal(2, r.Version);
    }

    [Fact]
    public void Version_defaults_to_one() => Assert.Equal(1, PostIntake.Accept(Valid() with { Version = null }, Options, Now).Version);

    [Fact]
    public void Missing_platform_is_named() => Assert.Contains("platform is required", Reject(Valid() with { Platform = null }));

    [Fact]
    public void Missing_author_is_named() => Assert.Contains("authorId is required", Reject(Valid() with { AuthorId = " " }));

    [Fact]
    public void Missing_body_is_named() => Assert.Contains("body is required", Reject(Valid() with { Body = null }));

    [Fact]
    public void Empty_body_is_named() => Assert.Contains("body is empty", Reject(Valid() with { Body = "  \n" }));

    [Theory]
    [InlineData("zero-width spaces", "\u200B\u200B\u200B")]
    [InlineData("zero-width joiners, BOM and word joiner", "\u200D\uFEFF\u2060\u200C")]
    [InlineData("bidi controls and soft hyphen", "\u202E\u2066\u00AD")]
    [InlineData("combining marks alone", "\u0301\u20DD\u0300")]
    [InlineData("variation selectors and tag characters", "\uFE0F\U000E0041\U000E007F")]
    [InlineData("Hangul fillers and braille blank", "\u3164\u115F\u2800")]
    [InlineData("ideographic space mixed with zero-width", " \u3000\u200B\t")]
    public void A_body_of_only_invisible_characters_is_empty(string what, string body) =>
        Assert.True(Reject(Valid() with { Body = body }).StartsWith("body is empty", StringComparison.Ordinal), what);

    [Fact]
    public void A_long_body_of_zero_width_spaces_is_empty() =>
        Assert.Contains("body is empty", Reject(Valid() with { Title = null, Body = new string('\u200B', 999) }));

    [Theory]
    [InlineData("a\u200B")]
    [InlineData("😀")]
    [InlineData("\u0301x")]
    [InlineData("冰\u200B毒")]
    public void A_body_with_anything_visible_is_accepted(string body) =>
        PostIntake.Accept(Valid() with { Body = body }, Options, Now);

    [Fact]
    public void A_url_over_the_limit_names_its_index_length_and_limit()
    {
        var longUrl = "https://example.org/" + new string('a', 2100);
        var reason = Reject(Valid() with { Urls = ["https://example.org/ok", longUrl] });
        Assert.Equal($"urls[1] is {longUrl.Length} characters; the limit is 2048.", reason);
    }

    [Fact]
    public void A_url_at_the_limit_is_accepted() =>
        PostIntake.Accept(Valid() with { Urls = ["https://example.org/" + new string('a', 2048 - 20)] }, Options, Now);

    [Fact]
    public void Oversized_post_names_size_and_limit() =>
        Assert.Contains("1001 characters; the limit is 1000", Reject(Valid() with { Title = null, Body = new string('x', 1001) }));

    [Theory]
    [InlineData("999.1.1.1")]
    [InlineData("1")]
    [InlineData("localhost")]
    public void Invalid_ip_is_named(string ip) => Assert.Contains($"sourceIp '{ip}' is not an IPv4 or IPv6 address", Reject(Valid() with { SourceIp = ip }));

    [Fact]
    public void Ipv6_is_accepted_and_normalised() =>
        Assert.Equal("2001:db8::1", PostIntake.Accept(Valid() with { SourceIp = "2001:DB8:0::1" }, Options, Now).SourceIp);

    [Fact]
    public void Future_publish_time_beyond_skew_is_rejected() =>
        Assert.Contains("lies in the future", Reject(Valid() with { PublishedAt = Now.AddHours(1) }));

    [Fact]
    public void Publish_time_within_skew_is_accepted_and_kept_as_sent() =>
        Assert.Equal(Now.AddMinutes(5), PostIntake.Accept(Valid() with { PublishedAt = Now.AddMinutes(5) }, Options, Now).PublishedAt);

    [Fact]
    public void Missing_publish_time_is_named() => Assert.Contains("publishedAt is required", Reject(Valid() with { PublishedAt = null }));

    [Fact]
    public void Unpaired_high_surrogate_is_located() =>
        Assert.Contains("body holds an unpaired UTF-16 high surrogate at index 1", Reject(Valid() with { Body = "a\ud800b" }));

    [Fact]
    public void Unpaired_low_surrogate_in_title_is_located() =>
        Assert.Contains("title holds an unpaired UTF-16 low surrogate at index 0", Reject(Valid() with { Title = "\udc00" }));

    [Fact]
    public void Paired_surrogates_such_as_emoji_are_fine_and_kept_intact()
    {
        var record = PostIntake.Accept(Valid() with { Body = "好😀" }, Options, Now);
        Assert.Equal("好😀", record.Body);
        Assert.Equal(3, record.Body.Length);
        Assert.Equal(PostIntake.Sha256Hex("标题\n好😀"), record.ContentSha256);
    }

    [Fact]
    public void Unknown_service_type_lists_the_valid_ones() =>
        Assert.Contains("serviceType 'blog' is unknown: use one of website, app, forum", Reject(Valid() with { ServiceType = "blog" }));

    [Fact]
    public void Relative_url_is_rejected() => Assert.Contains("urls[1] is not an absolute http(s) URL", Reject(Valid() with { Urls = ["https://a.example/x", "/relative"] }));

    [Fact]
    public void Port_out_of_range_is_rejected() => Assert.Contains("sourcePort 70000", Reject(Valid() with { SourcePort = 70000 }));

    [Fact]
    public void Retention_below_sixty_days_fails_validation()
    {
        var result = new IntakeOptionsValidator().Validate(null, new IntakeOptions { RetentionDays = 59 });
        Assert.True(result.Failed);
        Assert.Contains("at least 60", result.FailureMessage);
    }
}
