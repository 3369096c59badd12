using System.Globalization;
using Moderation.Review.Auth;
using Moderation.Storage.Review;
using Moderation.Storage.Ledger;
using Moderation.Core.Ledger;
using ExportSigner = Moderation.Review.Api.ComplianceApi.ExportSigner;

namespace Moderation.Review.Compliance;

/// <summary>
/// GET /api/compliance/ledger/verify: re-walks the record ledger's chains of one platform over a bounded day range
/// with <see cref="ChainVerifier"/> (the same check as `records verify`) and answers ok or the first problem found.
/// Each day is one chain read, so the range is capped; the whole-platform scan for rows no chain covers (INSERTED)
/// is left to `records verify`, which has no such bound.
/// </summary>
public static class LedgerVerifyApi
{
    public const string AuditAction = "compliance.ledger.verify";
    public const int MaxDays = 31;

    public static RouteGroupBuilder MapLedgerVerify(this RouteGroupBuilder read)
    {
        read.MapGet("/ledger/verify", Verify)
            .WithSummary($"Verify one platform's ledger chains over [from, to] (yyyy-MM-dd, at most {MaxDays} days): ok, or the first problem found.");
        return read;
    }

    private static async Task<IResult> Verify(string? platform, string? from, string? to, HttpContext ctx, ILedgerStore ledger, ExportSigner signer,
        IAuditLog audit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(platform) || platform.Length > 200) errors["platform"] = ["platform is required, at most 200 characters."];
        var f = Day(from, "from", errors);
        var t = Day(to, "to", errors);
        if (f is { } a && t is { } b && (b < a || b.DayNumber - a.DayNumber + 1 > MaxDays))
            errors["to"] = [$"to must be on or after from, at most {MaxDays} days in all."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        platform = platform!.Trim();
        // Reading the chains shows what exists for a platform and when: audited like the other compliance reads.
        await audit.AppendAsync(Actor.From(ctx).ForStore(), AuditAction, null, new { platform, from = f, to = t }, ct);
        // With the operator's key configured, sealed days' signed roots are checked too; the public half is enough.
        using var key = signer.Signer?.PublicKey();
        var reports = new List<ChainReport>();
        foreach (var chain in await ledger.ChainsAsync(platform, f, t, ct))
            reports.Add(ChainVerifier.Verify(await ledger.ReadChainAsync(chain.Platform, chain.Day, ct), key));
        var findings = reports.SelectMany(r => r.Findings).ToList();
        return Results.Ok(new LedgerVerifyResult(findings.Count == 0, platform, f!.Value, t!.Value, reports.Count, reports.Sum(r => r.Entries),
            reports.Sum(r => r.Purged), reports.Count(r => r.RootChecked), findings.Count, findings.FirstOrDefault()?.ToString(), findings.FirstOrDefault()?.Kind));
    }

    private static DateOnly? Day(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        errors[name] = [$"{name} is required, a day as yyyy-MM-dd (UTC)."];
        return null;
    }
}

/// <summary>The answer of a ledger check: ok, what was walked, and the first problem (worded for the officer) with how many there were.</summary>
public sealed record LedgerVerifyResult(bool Ok, string Platform, DateOnly From, DateOnly To, int Chains, long Entries, long Purged, int RootsChecked,
    int Problems, string? FirstProblem, string? FirstProblemKind);
