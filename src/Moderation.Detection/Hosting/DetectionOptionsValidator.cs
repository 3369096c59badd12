using Microsoft.Extensions.Options;
using Moderation.Core.Taxonomy;

namespace Moderation.Detection.Hosting;

/// <summary>Fails start-up when a configured pattern path or domain list is missing or makes no sense.</summary>
public sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        var failures = new List<string>();
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        foreach (var path in options.ResolvedPatternPaths())
        {
            if (!Directory.Exists(path) && !File.Exists(path))
            {
                failures.Add($"{DetectionOptions.SectionName}: pattern path '{path}' does not exist.");
            }
        }

        var lists = options.ResolvedDomainLists();
        for (var i = 0; i < lists.Count; i++)
        {
            var d = lists[i];
            var key = $"{DetectionOptions.SectionName}:DomainLists:{i}";
            if (string.IsNullOrWhiteSpace(options.DomainLists[i].Path) || !File.Exists(d.Path))
            {
                failures.Add($"{key}:Path '{d.Path}' does not exist.");
            }

            if (!ProhibitedCategories.Default.IsKnown(d.Category))
            {
                failures.Add($"{key}:Category must be a clause-1.3 code 1-9 (got {d.Category}).");
            }

            if (string.IsNullOrWhiteSpace(d.SubLabel))
            {
                failures.Add($"{key}:SubLabel must be set (gambling, porn, fraud, drugs, phishing …).");
            }

            if (d.Severity is < 1 or > 3)
            {
                failures.Add($"{key}:Severity must be 1-3 (got {d.Severity}).");
            }
        }

        if (!ProhibitedCategories.Default.IsKnown(options.ContactCategory))
        {
            failures.Add($"{DetectionOptions.SectionName}:ContactCategory must be a clause-1.3 code 1-9 (got {options.ContactCategory}).");
        }

        foreach (var c in options.ContactCategories.Where(c => !ProhibitedCategories.Default.IsKnown(c)))
        {
            failures.Add($"{DetectionOptions.SectionName}:ContactCategories holds {c}, not a clause-1.3 code 1-9.");
        }

        if (options.ReloadDebounce < TimeSpan.Zero || options.ReloadDebounce > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{DetectionOptions.SectionName}:ReloadDebounce must be between 0 and 5 minutes.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
