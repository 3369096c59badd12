using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Core.Classification;
using Moderation.Keywords.Hosting;

namespace Moderation.Keywords.Tests;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public void Default_configuration_loads_the_shipped_lexicon_as_a_content_classifier()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Keywords:HotReload"] = "false",
        }).Build();
        using var services = new ServiceCollection().AddKeywordClassifier(config).BuildServiceProvider();

        var classifier = Assert.Single(services.GetServices<IContentClassifier>());
        var result = classifier.Classify("出售冰\u200B毒，加微信");

        Assert.Equal(ClassifierKinds.Keyword, classifier.Kind);
        Assert.StartsWith("lex-", result.Version, StringComparison.Ordinal);
        var score = Assert.Single(result.Scores);
        Assert.Equal((9, "drugs", 1.0, "keyword"), (score.Category, score.SubLabel, score.Score, score.Source));
    }

    [Fact]
    public void Missing_lexicon_directory_fails_validation()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moderation:Keywords:LexiconDirectories:0"] = "/nonexistent/lexicon",
        }).Build();
        using var services = new ServiceCollection().AddKeywordClassifier(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<KeywordOptions>>().Value);
        Assert.Contains("/nonexistent/lexicon", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_lexicon_flags_shipped_categories_and_passes_plain_text()
    {
        var engine = Engine.KeywordEngine.Compile(Lexicons.LexiconLoader.Load([KeywordOptions.DefaultDirectory]));

        Assert.Contains(engine.FindHits("你是傻 逼"), h => h.Category == 8);
        Assert.Contains(engine.FindHits("網上賭場"), h => h is { Category: 7, SubLabel: "gambling" });
        Assert.Contains(engine.FindHits("you n1gger"), h => h.Category == 4);
        Assert.Empty(engine.FindHits("今天天气很好，我们去公园散步吧。Scunthorpe is a town."));
    }
}
