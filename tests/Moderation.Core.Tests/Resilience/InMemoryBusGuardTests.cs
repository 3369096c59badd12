using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Moderation.ServiceDefaults.Messaging;

namespace Moderation.Core.Tests.Resilience;

public sealed class InMemoryBusGuardTests
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static bool Allowed(string environment, params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        return new InMemoryBusGuard(config, new Env(environment)).Validate(null, new InMemoryBusGuard.Settings()).Succeeded;
    }

    [Fact]
    public void The_in_memory_bus_is_refused_outside_Development_unless_said_explicitly()
    {
        Assert.False(Allowed("Production"));
        Assert.False(Allowed("Staging", ("Moderation:Bus:Transport", "InMemory")));
        Assert.True(Allowed("Development"));
        Assert.True(Allowed("Production", ("Moderation:Bus:AllowInMemory", "true")));
        Assert.True(Allowed("Production", ("Moderation:Bus:Transport", "RabbitMq")));
    }
}
