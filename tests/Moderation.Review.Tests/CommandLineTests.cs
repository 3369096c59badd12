using System.CommandLine;

namespace Moderation.Review.Tests;

public sealed class CommandLineTests
{
    private static (int Exit, string Output, bool Ran) Invoke(params string[] args)
    {
        var ran = false;
        var output = new StringWriter();
        var root = ReviewCommandLine.Create((_, _) => { ran = true; return Task.FromResult(0); });
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString(), ran);
    }

    [Fact]
    public void Help_lists_the_run_mode_and_the_operator_tools()
    {
        var (exit, help, ran) = Invoke("--help");
        Assert.Equal(0, exit);
        Assert.False(ran);
        Assert.Contains("Without a command it runs the app", help);
        foreach (var tool in new[] { "hash-password", "new-api-key", "hash-api-key", "benchmark" })
            Assert.Contains(tool, help);
    }

    [Fact]
    public void Host_settings_run_the_app()
    {
        var (exit, _, ran) = Invoke("--urls", "http://127.0.0.1:0", "--Moderation:Review:ClaimLease=00:05:00");
        Assert.Equal(0, exit);
        Assert.True(ran);
    }

    [Fact]
    public void A_mistyped_tool_is_refused_and_the_app_does_not_start()
    {
        var (exit, output, ran) = Invoke("hash-pasword", "alice");
        Assert.Equal(2, exit);
        Assert.False(ran);
        Assert.Contains("'hash-pasword' is neither a command", output);
    }

    [Fact]
    public void Benchmark_help_lists_its_options()
    {
        var (exit, help, ran) = Invoke("benchmark", "--help");
        Assert.Equal(0, exit);
        Assert.False(ran);
        foreach (var option in new[] { "--items", "--requests", "--provider", "--pg", "--keep" })
            Assert.Contains(option, help);
    }

    [Fact]
    public void Hash_api_key_prints_the_sha256_of_the_key()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, ReviewCommandLine.Create((_, _) => Task.FromResult(0)).Parse(["hash-api-key", "abc"]).Invoke());
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", output.ToString().Trim());
    }
}
