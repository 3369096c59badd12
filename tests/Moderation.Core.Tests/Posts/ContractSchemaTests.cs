using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Moderation.Contracts;
using Moderation.Core.Posts;

namespace Moderation.Core.Tests.Posts;

/// <summary>The published JSON Schema must describe exactly the contract the worker reads.</summary>
public sealed class ContractSchemaTests
{
    private static JsonNode Schema()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "Moderation.Contracts", "Schemas", "content-published.schema.json");
            if (File.Exists(path))
                return JsonNode.Parse(File.ReadAllText(path))!;
        }
        throw new FileNotFoundException("content-published.schema.json not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_contract_property_is_in_the_schema_and_nothing_else()
    {
        var schemaProps = Schema()["properties"]!.AsObject().Select(p => p.Key).Order();
        var contractProps = typeof(ContentPublished).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order();
        Assert.Equal(contractProps, schemaProps);
    }

    [Fact]
    public void Service_types_match_the_contract()
    {
        var values = Schema()["properties"]!["serviceType"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(ServiceTypes.All, values);
    }

    [Fact]
    public void Every_field_the_schema_requires_is_refused_when_missing()
    {
        var now = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        var full = new ContentPublished
        {
            Platform = "p", ContentId = "c", ServiceType = "forum", AuthorId = "a", Body = "b", PublishedAt = now, SourceIp = "192.0.2.1",
        };
        PostIntake.Accept(full, new IntakeOptions(), now);
        foreach (var name in Schema()["required"]!.AsArray().Select(r => r!.GetValue<string>()))
        {
            var property = typeof(ContentPublished).GetProperties().Single(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == name);
            var json = JsonSerializer.SerializeToNode(full, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.AsObject();
            json.Remove(name);
            var without = json.Deserialize<ContentPublished>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var ex = Assert.Throws<PostRejectedException>(() => PostIntake.Accept(without, new IntakeOptions(), now));
            Assert.Contains(name, ex.Reason);
        }
    }
}
