using System.Text.Json.Nodes;
using Moderation.Cli.Keywords;
using Moderation.Keywords.Engine;
using Moderation.Keywords.Hosting;
using Moderation.Keywords.Lexicons;

namespace Moderation.Core.Tests.Cli;

/// <summary>`scan` answers every input line with exactly one output line, in order, and never dies on one.</summary>
public sealed class ScanCommandTests
{
    private static readonly KeywordEngine Engine = KeywordEngine.Compile(LexiconLoader.Load([KeywordOptions.DefaultDirectory]));

    private static List<JsonNode> Scan(string input, int maxHits = 20)
    {
        var output = new StringWriter();
        ScanCommand.Run(new StringReader(input), output, Engine, maxHits);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }

    [Fact]
    public void A_lone_surrogate_escape_is_reported_and_the_lines_after_it_are_scanned()
    {
        var lines = Scan("出售冰毒\n{\"text\":\"bad \\ud800 text\"}\n{\"text\":\"你是傻逼\"}\n");

        Assert.Equal([1, 2, 3], lines.Select(l => l["line"]!.GetValue<int>()));
        Assert.Contains("unpaired UTF-16 surrogate", lines[1]["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("冰毒", lines[0]["hits"]![0]!["term"]!.GetValue<string>());
        Assert.Equal("傻逼", lines[2]["hits"]![0]!["term"]!.GetValue<string>());
    }

    [Fact]
    public void Empty_lines_keep_their_place_and_number()
    {
        var lines = Scan("出售冰毒\n\n\n你是傻逼\n");

        Assert.Equal([1, 2, 3, 4], lines.Select(l => l["line"]!.GetValue<int>()));
        Assert.Empty(lines[1]["hits"]!.AsArray());
        Assert.Equal("", lines[2]["masked"]!.GetValue<string>());
        Assert.NotEmpty(lines[3]["hits"]!.AsArray());
    }

    [Fact]
    public void A_flood_of_one_term_lists_a_few_hits_and_counts_the_rest()
    {
        var line = Assert.Single(Scan(string.Concat(Enumerable.Repeat("傻逼", 10_000)) + "\n", maxHits: 5));

        Assert.Equal(5, line["hits"]!.AsArray().Count);
        Assert.Equal(9_995, line["hitsOmitted"]!.GetValue<int>());
    }
}
