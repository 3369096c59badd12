using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Contracts;
using Moderation.Core.Ledger;
using Moderation.Storage.Ledger;

namespace Moderation.Pipeline.Ledger;

/// <summary>
/// Closes each (platform, UTC day) chain once the day is over plus <see cref="LedgerOptions.SealGrace"/>: signs its
/// root, stores it, and announces it as <see cref="LedgerDayClosed"/>. Safe with several workers: sealing locks the
/// chain head and a sealed chain is left as it is; the announcement carries a message id derived from (platform, day),
/// and is repeated until it is recorded as sent, so a crash between the two sends it twice rather than never.
/// </summary>
public sealed class LedgerSealService(ILedgerStore ledger, IBus bus, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerSealService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Seal)
            return;
        using var signer = o.CreateSigner();
        if (signer is null)
        {
            log.LogWarning("Record ledger: no signing key (Moderation:Ledger:SigningKey or SigningKeyPath), so no day is sealed; records are still chained");
            return;
        }
        log.LogInformation("Record ledger: sealing days {Grace} after they end with key {KeyId}", o.SealGrace, signer.KeyId);
        using var timer = new PeriodicTimer(o.SealInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(signer, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Record ledger: sealing failed; will retry next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: seal what is due, announce what is sealed and not yet announced. Returns how many days were sealed.</summary>
    public async Task<int> RunOnceAsync(LedgerSigner signer, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = DateOnly.FromDateTime((now - options.Value.SealGrace).UtcDateTime);
        var sealedDays = 0;
        foreach (var chain in await ledger.DueForSealAsync(cutoff, ct))
        {
            await ledger.SealAsync(chain.Platform, chain.Day, signer, time.GetUtcNow(), ct);
            sealedDays++;
        }
        foreach (var root in await ledger.UnpublishedRootsAsync(ct))
        {
            await bus.Publish(new LedgerDayClosed
            {
                Platform = root.Root.Platform,
                Day = root.Root.Day,
                Entries = root.Root.Entries,
                LastHash = root.Root.LastHash,
                Signature = root.Signature,
                KeyId = root.KeyId,
                SignedAt = root.SignedAt,
            }, c => c.MessageId = MessageId(root.Root), ct);
            await ledger.MarkPublishedAsync(root.Root.Platform, root.Root.Day, time.GetUtcNow(), ct);
        }
        return sealedDays;
    }

    public static Guid MessageId(DailyRoot root)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"LedgerDayClosed\u001f{root.Platform}\u001f{root.Day:yyyy-MM-dd}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
