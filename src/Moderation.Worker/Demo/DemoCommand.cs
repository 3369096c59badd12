using System.CommandLine;

namespace Moderation.Worker.Demo;

/// <summary>`demo [samples.jsonl] [--database FILE] [--review [--port N]]`: the embedded default end to end.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var samples = new Argument<FileInfo?>("samples")
        {
            Description = "JSON lines of ContentPublished posts (default: the bundled samples/posts.jsonl).",
            Arity = ArgumentArity.ZeroOrOne,
            // A --Key=Value setting is not a samples file: leave it for the host's configuration.
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0 || result.Tokens[0].Value.StartsWith('-'))
                {
                    result.OnlyTake(0);
                    return null;
                }
                return new FileInfo(result.Tokens[0].Value);
            },
        };
        var database = new Option<FileInfo?>("--database")
        {
            Description = "Keep the demo's SQLite database at this path (a new file; it must not exist yet). Default: a temporary file, deleted at the end.",
        };
        var review = new Option<bool>("--review")
        {
            Description = "Then leave the moderators' review page running on the demo's database (log in as dev / dev) until Ctrl-C.",
        };
        var port = new Option<int>("--port")
        {
            Description = "Loopback port of the review page (0: any free port).",
            DefaultValueFactory = _ => 5080,
        };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
                r.AddError("--port must lie between 0 and 65535.");
        });
        var command = new Command("demo", """
            Run the real worker host on the embedded default (in-memory bus, a fresh SQLite database), publish sample posts,
            print each decision and a summary. It always uses its own fresh database, so storage and transport settings are refused.
            """)
        {
            samples, database, review, port,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (WorkerCommandLine.Settings(parse, out var settings) is { } error)
                return error;
            var options = new DemoOptions(
                parse.GetValue(samples)?.FullName ?? Path.Combine(AppContext.BaseDirectory, "samples", "posts.jsonl"),
                parse.GetValue(database)?.FullName,
                settings,
                parse.GetValue(review) ? parse.GetValue(port) : null);
            return await DemoRunner.RunAsync(options, ct);
        });
        return command;
    }
}

/// <param name="SamplesPath">The posts to publish.</param>
/// <param name="DatabasePath">Where to keep the SQLite database; null = a temporary file, deleted at the end.</param>
/// <param name="Settings">--Key=Value configuration for the worker host.</param>
/// <param name="ReviewPort">Set: afterwards serve the review page on this loopback port (0 = any) until stopped.</param>
public sealed record DemoOptions(string SamplesPath, string? DatabasePath, string[] Settings, int? ReviewPort = null);
