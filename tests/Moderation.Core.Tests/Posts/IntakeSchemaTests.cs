using System.Text;
using Moderation.Core.Posts;

namespace Moderation.Core.Tests.Posts;

public sealed class IntakeSchemaTests
{
    private static string? Check(string json) => IntakeSchema.Check(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_well_formed_post_passes() =>
        Assert.Null(Check("""{"platform":"p","version":2,"publishedAt":"2026-11-29T08:00:00+08:00","urls":["https://x"],"title":null}"""));

    [Theory]
    [InlineData("{\"platform\": ", "The message is not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object, got an array")]
    [InlineData("{\"version\":\"two\"}", "version must be an integer, got a string")]
    [InlineData("{\"version\":1.5}", "version must be an integer, got a number 1.5")]
    [InlineData("{\"publishedAt\":12345}", "publishedAt must be an ISO 8601 date-time string")]
    [InlineData("{\"publishedAt\":\"yesterday\"}", "publishedAt 'yesterday' is not an ISO 8601 date-time")]
    [InlineData("{\"body\":{\"text\":\"x\"}}", "body must be a string, got an object")]
    [InlineData("{\"urls\":\"https://x\"}", "urls must be an array of strings")]
    [InlineData("{\"urls\":[\"a\",3]}", "urls[1] must be a string, got a number")]
    [InlineData("{\"body\":\"bad \\ud800 text\"}", "body holds an unpaired UTF-16 surrogate")]
    public void Shape_errors_name_the_field(string json, string expected) => Assert.Contains(expected, Check(json));

    [Theory]
    [InlineData("{\"body\":\"出售冰毒\",\"Body\":\"今天天气很好\"}", "The message has the key \"Body\" twice (also as \"body\")")]
    [InlineData("{\"body\":\"出售冰毒\",\"body\":\"今天天气很好\"}", "The message has the key \"body\" twice: each field may appear once.")]
    [InlineData("{\"platform\":\"p\",\"PLATFORM\":\"q\"}", "The message has the key \"PLATFORM\" twice (also as \"platform\")")]
    [InlineData("{\"extra\":1,\"Extra\":2}", "The message has the key \"Extra\" twice")]
    public void Duplicate_keys_in_any_letter_case_are_refused_naming_the_key(string json, string expected) =>
        Assert.StartsWith(expected, Check(json), StringComparison.Ordinal);

    [Fact]
    public void Invalid_utf8_in_a_field_is_named()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"body\":\"ab\"}");
        bytes[9] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        Assert.Contains("body", IntakeSchema.Check(bytes));
        Assert.Contains("UTF-8", IntakeSchema.Check(bytes));
    }
}
