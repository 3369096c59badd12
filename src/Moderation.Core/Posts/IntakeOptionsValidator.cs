using Microsoft.Extensions.Options;

namespace Moderation.Core.Posts;

public sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        var errors = new List<string>();
        if (options.RetentionDays < IntakeOptions.MinimumRetentionDays)
            errors.Add($"Moderation:Intake:RetentionDays is {options.RetentionDays}; clause 1.5 requires at least {IntakeOptions.MinimumRetentionDays}.");
        if (options.MaxTextChars < 1)
            errors.Add("Moderation:Intake:MaxTextChars must be positive.");
        if (options.MaxClockSkew < TimeSpan.Zero)
            errors.Add("Moderation:Intake:MaxClockSkew must not be negative.");
        if (options.MaxUrlChars < 64)
            errors.Add("Moderation:Intake:MaxUrlChars must be at least 64.");
        if (options.MaxUrls < 0)
            errors.Add("Moderation:Intake:MaxUrls must not be negative.");
        if (options.MaxFieldChars < 16)
            errors.Add("Moderation:Intake:MaxFieldChars must be at least 16.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
