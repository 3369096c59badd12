using Microsoft.Extensions.Options;

namespace Moderation.Pipeline.Messaging;

public sealed class BusOptionsValidator : IValidateOptions<BusOptions>
{
    public ValidateOptionsResult Validate(string? name, BusOptions o)
    {
        var errors = new List<string>();
        if (o.Transport is not ("InMemory" or "RabbitMq"))
            errors.Add($"Moderation:Bus:Transport must be InMemory or RabbitMq (got '{o.Transport}').");
        if (o.Transport == "RabbitMq" && string.IsNullOrWhiteSpace(o.Host))
            errors.Add("Moderation:Bus:Host is required for RabbitMq.");
        if (o.PrefetchCount == 0)
            errors.Add("Moderation:Bus:PrefetchCount must be positive.");
        if (o.ConcurrentMessageLimit < 1)
            errors.Add("Moderation:Bus:ConcurrentMessageLimit must be positive.");
        if (string.IsNullOrWhiteSpace(o.IntakeQueue))
            errors.Add("Moderation:Bus:IntakeQueue must be set.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
