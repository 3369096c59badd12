using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Moderation.ServiceDefaults.Messaging;

/// <summary>
/// MassTransit's in-memory transport delivers only inside one process: outside Development it would make the
/// review app mark takedowns as sent with nobody receiving them, and a worker that nobody can publish to.
/// So it is refused there, unless a test or a single-process tool says explicitly that it means it
/// (<c>Moderation:Bus:AllowInMemory=true</c>).
/// </summary>
public sealed class InMemoryBusGuard(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<InMemoryBusGuard.Settings>
{
    public const string TransportKey = "Moderation:Bus:Transport";
    public const string AllowKey = "Moderation:Bus:AllowInMemory";

    /// <summary>Nothing to bind: the guard reads the shared bus keys directly.</summary>
    public sealed class Settings;

    public ValidateOptionsResult Validate(string? name, Settings options)
    {
        var transport = configuration[TransportKey] ?? "InMemory";
        if (!string.Equals(transport, "InMemory", StringComparison.OrdinalIgnoreCase) || environment.IsDevelopment() || configuration.GetValue<bool>(AllowKey))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"{TransportKey} is InMemory in the '{environment.EnvironmentName}' environment: messages would reach no other process " +
            $"(takedowns would be marked sent with nobody receiving them). Set {TransportKey}=RabbitMq, or run with DOTNET_ENVIRONMENT=Development " +
            $"(tests and single-process tools may set {AllowKey}=true).");
    }
}
