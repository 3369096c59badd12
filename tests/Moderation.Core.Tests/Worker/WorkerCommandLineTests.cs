using System.CommandLine;
using Moderation.Worker;

namespace Moderation.Core.Tests.Worker;

public sealed class WorkerCommandLineTests
{
    private static (int Exit, string Output) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var exit = WorkerCommandLine.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }

    [Fact]
    public void Help_lists_the_run_mode_and_every_command()
    {
        var (exit, help) = Invoke("--help");
        Assert.Equal(0, exit);
        Assert.Contains("Without a command it runs the worker", help);
        Assert.Contains("demo", help);
        Assert.Contains("migrate", help);
    }

    [Fact]
    public void Demo_help_lists_its_options()
    {
        var (exit, help) = Invoke("demo", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--database", help);
        Assert.Contains("<samples>", help);
    }

    [Fact]
    public async Task Demo_refuses_a_storage_provider_instead_of_ignoring_it()
    {
        var exit = await WorkerCommandLine.Create().Parse(["demo", "--Moderation:Storage:Provider=Postgres"]).InvokeAsync();
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Demo_refuses_to_overwrite_an_existing_database_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Equal(2, await WorkerCommandLine.Create().Parse(["demo", "--database", path]).InvokeAsync());
            Assert.Equal(0, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_mistyped_command_is_refused_rather_than_starting_the_worker() =>
        Assert.Equal(2, await WorkerCommandLine.Create().Parse(["demmo"]).InvokeAsync());
}
