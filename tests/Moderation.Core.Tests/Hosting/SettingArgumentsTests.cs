using Moderation.Core.Hosting;

namespace Moderation.Core.Tests.Hosting;

public sealed class SettingArgumentsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("--Moderation:Bus:Host=rabbit1")]
    [InlineData("--urls|http://127.0.0.1:5080")]
    [InlineData("/Moderation:Policy:Version=x|--Key=a=b")]
    public void Settings_are_accepted(string tokens) =>
        Assert.Null(SettingArguments.Check(tokens.Split('|', StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void A_bare_word_is_refused_as_neither_command_nor_setting() =>
        Assert.Equal("'demmo' is neither a command nor an option nor a --Key=Value setting (see --help).", SettingArguments.Check(["demmo"]));

    [Fact]
    public void A_key_without_a_value_is_refused() =>
        Assert.Equal("'--urls' has no value: write it as --urls=VALUE.", SettingArguments.Check(["--Key=1", "--urls"]));

    [Fact]
    public void A_lone_dash_is_refused() => Assert.NotNull(SettingArguments.Check(["--"]));
}
