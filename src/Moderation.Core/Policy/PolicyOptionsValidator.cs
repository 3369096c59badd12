using Microsoft.Extensions.Options;
using Moderation.Core.Taxonomy;

namespace Moderation.Core.Policy;

/// <summary>Refuses to start with a policy that cannot mean what the operator intended.</summary>
public sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Version))
            errors.Add("Moderation:Policy:Version must be set: every decision carries it.");
        Check("Default", options.Default, errors);
        foreach (var (key, policy) in options.Categories)
        {
            if (!int.TryParse(key, out var code) || !ProhibitedCategories.Default.IsKnown(code))
                errors.Add($"Moderation:Policy:Categories:{key} is not a clause-1.3 category code (1-9).");
            Check($"Categories:{key}", policy, errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(string where, CategoryPolicy p, List<string> errors)
    {
        if (p.KeywordBlockSeverity is < 1 or > 4)
            errors.Add($"Moderation:Policy:{where}:KeywordBlockSeverity must be 1-3, or 4 for never (got {p.KeywordBlockSeverity}).");
        if (p.KeywordReviewSeverity is < 1 or > 4)
            errors.Add($"Moderation:Policy:{where}:KeywordReviewSeverity must be 1-3, or 4 for never (got {p.KeywordReviewSeverity}).");
        if (p.DetectorBlockSeverity is < 1 or > 4)
            errors.Add($"Moderation:Policy:{where}:DetectorBlockSeverity must be 1-3, or 4 for never (got {p.DetectorBlockSeverity}).");
        if (p.DetectorReviewSeverity is < 1 or > 4)
            errors.Add($"Moderation:Policy:{where}:DetectorReviewSeverity must be 1-3, or 4 for never (got {p.DetectorReviewSeverity}).");
        if (p.ModelReviewThreshold < 0 || double.IsNaN(p.ModelReviewThreshold))
            errors.Add($"Moderation:Policy:{where}:ModelReviewThreshold must be >= 0; above 1 means never (got {p.ModelReviewThreshold}).");
        if (p.ModelBlockThreshold < 0 || double.IsNaN(p.ModelBlockThreshold))
            errors.Add($"Moderation:Policy:{where}:ModelBlockThreshold must be >= 0 (got {p.ModelBlockThreshold}).");
        if (p.ModelBlockThreshold < p.ModelReviewThreshold)
            errors.Add($"Moderation:Policy:{where}: ModelBlockThreshold ({p.ModelBlockThreshold}) is below ModelReviewThreshold ({p.ModelReviewThreshold}).");
    }
}
