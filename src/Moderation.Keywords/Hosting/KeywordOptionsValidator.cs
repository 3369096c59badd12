using Microsoft.Extensions.Options;

namespace Moderation.Keywords.Hosting;

/// <summary>Fails start-up when a configured lexicon path is missing or the debounce is nonsense.</summary>
public sealed class KeywordOptionsValidator : IValidateOptions<KeywordOptions>
{
    public ValidateOptionsResult Validate(string? name, KeywordOptions options)
    {
        var failures = new List<string>();
        foreach (var path in options.ResolvedPaths())
        {
            if (!Directory.Exists(path) && !File.Exists(path))
            {
                failures.Add($"{KeywordOptions.SectionName}: lexicon path '{path}' does not exist.");
            }
        }

        if (options.ReloadDebounce < TimeSpan.Zero || options.ReloadDebounce > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{KeywordOptions.SectionName}:ReloadDebounce must be between 0 and 5 minutes.");
        }

        if (options.MaxHitsPerTerm < 1)
        {
            failures.Add($"{KeywordOptions.SectionName}:MaxHitsPerTerm must be at least 1.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
