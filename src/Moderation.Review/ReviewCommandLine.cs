using System.CommandLine;
using System.Security.Cryptography;
using Moderation.Core.Hosting;
using Moderation.Review.Auth;
using Moderation.Review.Benchmark;

namespace Moderation.Review;

/// <summary>
/// The review binary's command line: without a command it runs the app; the operator tools hash a
/// password or an API key for configuration, and `benchmark` times the queue. Options the parser does
/// not know are configuration for the host (<c>--urls http://127.0.0.1:5080</c>, <c>--Key=Value</c>).
/// </summary>
internal static class ReviewCommandLine
{
    public static RootCommand Create(Func<string[], CancellationToken, Task<int>> runApp)
    {
        var root = new RootCommand("""
            Moderation.Review: the moderators' page and API (see docs/moderators.md).
            Without a command it runs the app. Host and configuration settings may follow, e.g.
              Moderation.Review --urls http://127.0.0.1:5080 "--ConnectionStrings:Moderation=Host=db;..."
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        // `[diagram] <command> …` shows how a command line parses without running it (the docs test uses it).
        root.Directives.Add(new DiagramDirective());
        root.SetAction((parse, ct) => Settings(parse, out var settings) is { } error ? Task.FromResult(error) : runApp(settings, ct));
        root.Subcommands.Add(HashPassword());
        root.Subcommands.Add(NewApiKey());
        root.Subcommands.Add(HashApiKey());
        root.Subcommands.Add(ReviewBenchmark.Create());
        return root;
    }

    private static int? Settings(ParseResult parse, out string[] settings)
    {
        settings = [.. parse.UnmatchedTokens];
        if (SettingArguments.Check(settings) is not { } problem)
            return null;
        parse.InvocationConfiguration.Error.WriteLine(problem);
        return 2;
    }

    private static Command HashPassword()
    {
        var user = new Argument<string>("user") { Description = "The user name (part of the hash's salt input)." };
        var password = new Argument<string?>("password") { Description = "The password; read from standard input when omitted (keeps it out of the shell history).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("hash-password", "Read a password (12+ characters) and print its PBKDF2 hash for Moderation:Review:Users:N:PasswordHash.") { user, password };
        command.SetAction(async (parse, ct) =>
        {
            var secret = parse.GetValue(password) ?? (await Console.In.ReadLineAsync(ct) ?? "");
            if (secret.Length < 12)
            {
                await Console.Error.WriteLineAsync("Refusing a password shorter than 12 characters.");
                return 2;
            }
            Console.WriteLine(ReviewerDirectory.HashPassword(parse.GetValue(user)!, secret));
            return 0;
        });
        return command;
    }

    private static Command NewApiKey()
    {
        var command = new Command("new-api-key", "Print a new API key for a client and the SHA-256 to put in Moderation:Review:ApiKeys:N:KeySha256.");
        command.SetAction(_ =>
        {
            var key = "mrk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            Console.WriteLine($"key (give to the client, store nowhere): {key}");
            Console.WriteLine($"KeySha256 (put in configuration):       {ReviewerDirectory.HashApiKey(key)}");
            return 0;
        });
        return command;
    }

    private static Command HashApiKey()
    {
        var key = new Argument<string>("key") { Description = "An existing API key." };
        var command = new Command("hash-api-key", "Print the SHA-256 of an existing API key for configuration.") { key };
        command.SetAction(parse =>
        {
            Console.WriteLine(ReviewerDirectory.HashApiKey(parse.GetValue(key)!));
            return 0;
        });
        return command;
    }
}
