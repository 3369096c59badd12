using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Core.Classification;

namespace Moderation.Ml.Tests.Serving;

public sealed class AddModelClassifierTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddModelClassifier(config).BuildServiceProvider();
    }

    [Fact]
    public void Registers_the_model_as_one_of_the_content_classifiers()
    {
        var dir = Fixtures.TempDirectory();
        var model = Fixtures.Train(dir);
        using var sp = Build(new() { ["Moderation:Model:ModelDirectory"] = dir });
        var classifier = Assert.Single(sp.GetServices<IContentClassifier>());
        Assert.Equal(ClassifierKinds.Model, classifier.Kind);
        Assert.Equal(model.Version, classifier.Classify("你好").Version);
    }

    [Fact]
    public void A_directory_without_a_model_fails_validation_with_the_way_out()
    {
        using var sp = Build(new() { ["Moderation:Model:ModelDirectory"] = Fixtures.TempDirectory() });
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<Moderation.Ml.Serving.ModelOptions>>().Value);
        Assert.Contains("Enabled=false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_registers_no_classifier()
    {
        using var sp = Build(new() { ["Moderation:Model:Enabled"] = "false", ["Moderation:Model:ModelDirectory"] = "/nowhere" });
        Assert.Empty(sp.GetServices<IContentClassifier>());
    }
}
