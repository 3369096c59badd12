using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderation.Compliance;
using Moderation.Core.Ledger;
using Moderation.Review.Auth;
using Moderation.Review.Compliance;
using Moderation.Review.Messaging;
using Moderation.Storage.Compliance;
using Moderation.Storage.Review;
using Npgsql;

namespace Moderation.Review.Tests;

/// <summary>
/// The review app with its own compliance clock switched off, so that a test decides exactly which clock instances
/// tick and when (fake time drives them).
/// </summary>
public class ComplianceAppFixture : ReviewAppFixture, IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> _sources = [];

    protected override void Configure(IWebHostBuilder web) => web.UseSetting("Moderation:Compliance:RunClocks", "false");

    /// <summary>
    /// A second (third, …) app instance's clock: its own connection pool, store and outbox over the same database,
    /// publishing to the same test harness.
    /// </summary>
    public ComplianceClock NewClockInstance(TimeSpan? takedownFollowUp = null)
    {
        var db = NpgsqlDataSource.Create(ConnectionString);
        _sources.Add(db);
        var outbox = new ReviewOutbox(new PostgresReviewOutbox(db, Time), Harness.Bus, Time, NullLogger<ReviewOutbox>.Instance);
        var options = Options.Create(new ComplianceOptions { TakedownFollowUp = takedownFollowUp ?? TimeSpan.FromHours(1), IncidentReminderBefore = TimeSpan.FromHours(4) });
        return new ComplianceClock(new PostgresComplianceStore(db), outbox, options, Time, Factory.Services.GetRequiredService<ComplianceMetrics>());
    }

    public IComplianceStore Compliance => Factory.Services.GetRequiredService<IComplianceStore>();

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var s in _sources) await s.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// The classes whose app listens on a real port run one after another: two Kestrel fixtures starting at once were
/// seen to collide on 127.0.0.1:5000 ("address already in use") although each asks for a free port.
/// </summary>
[CollectionDefinition(KestrelApps.Collection)]
public sealed class KestrelApps
{
    public const string Collection = "Kestrel apps";
}

public sealed class KestrelComplianceAppFixture : ComplianceAppFixture
{
    /// <summary>A second compliance officer who logs in on the page (lawful requests need two people).</summary>
    public const string SecondOfficer = "comp2";

    public override bool UseKestrel => true;

    /// <summary>The operator's key, so that the page can export lawful requests (an export is always signed).</summary>
    public LedgerSigner Signer { get; } = LedgerSigner.Generate();

    protected override void Configure(IWebHostBuilder web)
    {
        base.Configure(web);
        web.UseSetting("Moderation:Ledger:SigningKey", Signer.PrivateKeyPem);
        var i = Users.Count;
        web.UseSetting($"Moderation:Review:Users:{i}:Name", SecondOfficer);
        web.UseSetting($"Moderation:Review:Users:{i}:PasswordHash", ReviewerDirectory.HashPassword(SecondOfficer, Password));
        web.UseSetting($"Moderation:Review:Users:{i}:Roles:0", ReviewRoles.Compliance);
    }

    public Uri BaseAddress => new(Factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
}

/// <summary>pdftotext (poppler-utils), to read a served PDF back. A missing tool fails the test.</summary>
internal static class PdfText
{
    public static string Of(byte[] pdf)
    {
        if (!File.Exists("/usr/bin/pdftotext"))
            throw new InvalidOperationException("pdftotext not found: apt-get install -y poppler-utils (tests/run.sh does).");
        var file = Path.Combine(Path.GetTempPath(), "evidence-" + Guid.NewGuid().ToString("N") + ".pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/pdftotext") { RedirectStandardOutput = true };
            foreach (var a in new[] { "-enc", "UTF-8", file, "-" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
