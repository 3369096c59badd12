using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderation.Storage;

namespace Moderation.Integration.Tests.Storage;

/// <summary>Moderation:Storage:MigrationConnectionString beside the runtime connection (docs/security.md "Database roles"): checked at start-up.</summary>
public sealed class MigrationConnectionOptionsTests
{
    private const string Runtime = "Host=db;Port=5432;Database=moderation;Username=moderation_worker;Password=w";

    private static StorageOptions Options(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>("Moderation:Storage:" + s.Key, s.Value)))
            .Build();
        using var sp = new ServiceCollection().AddModerationStorage(config).BuildServiceProvider();
        return sp.GetRequiredService<IOptions<StorageOptions>>().Value;
    }

    [Fact]
    public void Migrations_use_the_owners_connection_when_given_and_the_one_connection_otherwise()
    {
        const string owner = "Host=db;Database=moderation;Username=moderation_owner;Password=o";
        Assert.Equal(owner, Options(("Provider", "Postgres"), ("ConnectionString", Runtime), ("MigrationConnectionString", owner)).MigrationConnection);
        Assert.Equal(Runtime, Options(("Provider", "Postgres"), ("ConnectionString", Runtime)).MigrationConnection);
    }

    [Theory]
    [InlineData("Host=db;Database=other;Username=moderation_owner;Password=o", "same host, port and database")]
    [InlineData("Host=elsewhere;Database=moderation;Username=moderation_owner;Password=o", "same host, port and database")]
    [InlineData("Host=db;Port=5433;Database=moderation;Username=moderation_owner;Password=o", "same host, port and database")]
    [InlineData("not a connection string", "same host, port and database")]
    public void A_migration_connection_to_another_database_stops_the_start(string migration, string message)
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            Options(("Provider", "Postgres"), ("ConnectionString", Runtime), ("MigrationConnectionString", migration)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_takes_no_migration_connection()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            Options(("ConnectionString", "Data Source=x.db"), ("MigrationConnectionString", "Data Source=x.db")));
        Assert.Contains("MigrationConnectionString is for PostgreSQL", e.Message, StringComparison.Ordinal);
    }
}
