namespace Moderation.Core.Hosting;

/// <summary>
/// The entry points parse their own commands and options with System.CommandLine and hand whatever is left
/// to the host as configuration (<c>--Moderation:Bus:Host=rabbit1</c>, as <c>dotnet run -- --Key=Value</c>
/// always allowed). This checks that what is left really is settings, so a mistyped command
/// (<c>demmo</c>) is refused instead of starting the default mode with it as an ignored argument.
/// </summary>
public static class SettingArguments
{
    /// <summary>Null when every token is a setting (<c>--Key=Value</c>, <c>--Key Value</c> or <c>/Key=Value</c>); else the reason.</summary>
    public static string? Check(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var isKey = token.StartsWith("--", StringComparison.Ordinal) || token.StartsWith('/');
            if (!isKey || token.TrimStart('-', '/').Length == 0)
                return $"'{token}' is neither a command nor an option nor a --Key=Value setting (see --help).";
            if (token.Contains('=', StringComparison.Ordinal))
                continue;
            if (i + 1 >= tokens.Count)
                return $"'{token}' has no value: write it as {token}=VALUE.";
            i++;
        }
        return null;
    }
}
