using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Moderation.Review.Tests;

/// <summary>
/// The Quick start's first command with its review option, as a newcomer runs it: the real worker executable
/// (`demo --review`) on the embedded default, no PostgreSQL anywhere; then the page it announces, in real headless
/// Chromium, shows the posts the demo quarantined; then Ctrl-C stops it and removes the demo's database.
/// </summary>
public sealed class DemoReviewTests : IAsyncLifetime
{
    private static readonly string ChromiumPath =
        Environment.GetEnvironmentVariable("MODERATION_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: apt-get install -y chromium (or set MODERATION_CHROMIUM).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-quic"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>The worker as built beside these tests (same configuration), run from its own output folder.</summary>
    private static string WorkerDll()
    {
        var configuration = typeof(DemoReviewTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "Moderation.Worker", "bin", configuration, "net10.0", "Moderation.Worker.dll");
            if (File.Exists(dll))
                return dll;
        }
        throw new FileNotFoundException($"Moderation.Worker.dll ({configuration}) not found above {AppContext.BaseDirectory}; build the solution.");
    }

    [Fact]
    public async Task Demo_with_review_serves_the_demos_quarantined_posts_until_stopped()
    {
        var start = new ProcessStartInfo("dotnet", [WorkerDll(), "demo", "--review", "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        // Nothing in the environment may point it at a database server.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Moderation__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        using var demo = Process.Start(start)!;
        var lines = Channel.CreateUnbounded<string>();
        var output = new List<string>();
        demo.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Writer.TryWrite(e.Data); };
        demo.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Writer.TryWrite("stderr: " + e.Data); };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            // Wait on the line the demo prints once the page answers.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            string? url = null;
            while (url is null)
            {
                string line;
                try { line = await lines.Reader.ReadAsync(timeout.Token); }
                catch (OperationCanceledException) { throw new TimeoutException("No 'review page:' line within 3 minutes:\n" + string.Join('\n', output)); }
                output.Add(line);
                if (line.StartsWith("review page: http://127.0.0.1:", StringComparison.Ordinal))
                    url = line["review page: ".Length..];
            }
            Assert.StartsWith("log in as dev / dev", await lines.Reader.ReadAsync(timeout.Token), StringComparison.Ordinal);
            Assert.Contains(output, l => l.StartsWith("Summary: 13 posts", StringComparison.Ordinal));
            var quarantined = output.Where(l => l.StartsWith("quarantine ", StringComparison.Ordinal))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Split('/')[1].Split(' ')[0]).ToList();
            Assert.NotEmpty(quarantined);

            var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = url });
            page.SetDefaultTimeout(15_000);
            await page.GotoAsync("/");
            await page.FillAsync("#login-name", "dev");
            await page.FillAsync("#login-password", "dev");
            await page.ClickAsync("#login-submit");
            await Expect(page.Locator("#whoami")).ToContainTextAsync("dev");

            // Exactly the posts the demo printed as quarantined wait in the queue, with their hits highlighted.
            await Expect(page.Locator("#queue li")).ToHaveCountAsync(quarantined.Count);
            foreach (var contentId in quarantined)
                await Expect(page.Locator("#queue")).ToContainTextAsync(contentId);
            await Expect(page.Locator("#item-heading")).ToContainTextAsync("forum-demo / ");
            await Expect(page.Locator("#item-text mark").First).ToBeVisibleAsync();

            // A moderator can act on them: claim and confirm by keyboard.
            var heading = await page.Locator("#item-heading").TextContentAsync();
            await page.Keyboard.PressAsync("c");
            await Expect(page.Locator("#status")).ToContainTextAsync("Claimed until");
            await page.Keyboard.PressAsync("y");
            await Expect(page.Locator("#reason-dialog")).ToBeVisibleAsync();
            await page.FillAsync("#reason-input", "seen in the demo");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#status")).ToContainTextAsync("confirmed.");
            await Expect(page.Locator("#queue li")).ToHaveCountAsync(quarantined.Count - 1);
            Assert.False(string.IsNullOrEmpty(heading));

            // It keeps serving until stopped: a stop signal ends it cleanly and removes the demo's database. SIGTERM, not
            // SIGINT: a test run started as a background job (`tests/run.sh &`, some CI runners) inherits SIGINT as
            // ignored, and an ignored SIGINT never reaches the process. Both go through the same console lifetime.
            // The demo's own temporary database: named after its process (and a unique suffix).
            var database = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $"moderation-demo-{demo.Id}-*.db"));
            using (var interrupt = Process.Start("kill", ["-TERM", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await interrupt.WaitForExitAsync();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await demo.WaitForExitAsync(exit.Token);
            Assert.Equal(0, demo.ExitCode);
            Assert.False(File.Exists(database));
        }
        finally
        {
            // On a failure above: stop it the polite way first (so it removes its database), then for sure.
            if (!demo.HasExited)
            {
                using (var interrupt = Process.Start("kill", ["-TERM", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await interrupt.WaitForExitAsync();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try { await demo.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException) { demo.Kill(entireProcessTree: true); }
            }
        }
    }
}
