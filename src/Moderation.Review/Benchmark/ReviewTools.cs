using System.Security.Cryptography;
using Moderation.Review.Auth;

namespace Moderation.Review.Benchmark;

/// <summary>Operator modes of the review binary; anything else starts the web app.</summary>
public static class ReviewTools
{
    public static async Task<int?> RunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "hash-password":
                if (args.Length < 2)
                {
                    await Console.Error.WriteLineAsync("usage: Moderation.Review hash-password <user> [password]   (password read from stdin when omitted)");
                    return 2;
                }
                var password = args.Length > 2 ? args[2] : (await Console.In.ReadLineAsync() ?? "");
                if (password.Length < 12)
                {
                    await Console.Error.WriteLineAsync("Refusing a password shorter than 12 characters.");
                    return 2;
                }
                Console.WriteLine(ReviewerDirectory.HashPassword(args[1], password));
                return 0;
            case "new-api-key":
                var key = "mrk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                Console.WriteLine($"key (give to the client, store nowhere): {key}");
                Console.WriteLine($"KeySha256 (put in configuration):       {ReviewerDirectory.HashApiKey(key)}");
                return 0;
            case "hash-api-key" when args.Length == 2:
                Console.WriteLine(ReviewerDirectory.HashApiKey(args[1]));
                return 0;
            case "benchmark":
                return await ReviewBenchmark.RunAsync(args[1..]);
            case "--help" or "-h" or "help":
                Console.WriteLine("""
                    Moderation.Review: the moderators' page and API.
                      Moderation.Review [--urls http://127.0.0.1:5080] [--Key=Value ...]   run the app (see README "Moderator review")
                      Moderation.Review hash-password <user>       read a password (12+ chars) on stdin, print its PBKDF2 hash
                      Moderation.Review new-api-key                print a new API key and the SHA-256 to configure
                      Moderation.Review hash-api-key <key>         print the SHA-256 of an existing key
                      Moderation.Review benchmark [--items 100000] list/open timings with a seeded quarantine
                    """);
                return 0;
            default:
                return null;
        }
    }
}
