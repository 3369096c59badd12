using System.Globalization;
using Microsoft.Extensions.Options;
using Moderation.Banks;
using Moderation.Review.Auth;
using Moderation.Storage.Banks;
using Moderation.Storage.Review;

namespace Moderation.Review.Api;

/// <summary>
/// Content banks through the review API (issue 11): supervisors and admins create banks, add and disable entries,
/// disable or re-enable a bank, list and search. Every change is one transaction with its audit row (the store's
/// job); the same session, CSRF header and role rules as the rest of the API apply.
/// </summary>
public static class BankApi
{
    private const int MaxReason = 2000;

    /// <summary>The confirm-filing settings (Moderation:Banks), validated at start-up, and the matcher's text check.</summary>
    public static IServiceCollection AddReviewBanks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BankFilingOptions>().Bind(configuration.GetSection(BankFilingOptions.Section))
            .Validate(o => o.Problem() is null, "Moderation:Banks: ConfirmBanks must map categories 1-9 to valid bank names, ConfirmAction quarantine|block, ConfirmThreshold in (0, 1].")
            .ValidateOnStart();
        services.AddSingleton(sp => new BankFiling(sp.GetRequiredService<IOptions<BankFilingOptions>>().Value, TextProblem));
        return services;
    }

    /// <summary>Why the matcher could not use this text as an entry with this category and threshold, or null.</summary>
    public static string? TextProblem(string text, int category, double threshold) =>
        BankIndex.Problem(new BankEntry("check", "check", 1, category, null, BankAction.Quarantine, threshold, text ?? ""));

    public static WebApplication MapBankApi(this WebApplication app)
    {
        var banks = app.MapGroup("/api/banks").RequireAuthorization(ReviewPolicies.Supervise).WithTags("banks");
        banks.MapGet("", List).WithSummary("Every bank with its settings and active entry count.");
        banks.MapPost("", Create).WithSummary("Create a bank {name, category, subLabel?, action: quarantine|block, threshold?, description?}.");
        banks.MapPost("/{name}/disable", (string name, ReasonRequest? body, HttpContext ctx, IBankStore store, CancellationToken ct) => Toggle(name, false, body, ctx, store, ct))
            .WithSummary("Stop matching a bank's entries (workers drop them within seconds).");
        banks.MapPost("/{name}/enable", (string name, ReasonRequest? body, HttpContext ctx, IBankStore store, CancellationToken ct) => Toggle(name, true, body, ctx, store, ct))
            .WithSummary("Match a disabled bank's active entries again.");
        banks.MapPost("/{name}/entries", Add).WithSummary("Add one entry {text, source?, note?} (origin manual).");
        banks.MapGet("/entries", Search).WithSummary("Search entries: bank, state (active|disabled|removed), q (text contains), before (entry id), limit.");
        banks.MapPost("/entries/{id:long}/disable", DisableEntry).WithSummary("Disable one entry, with a reason.");
        return app;
    }

    private static async Task<IResult> List(IBankStore store, IOptions<BankFilingOptions> filing, CancellationToken ct)
    {
        var all = await store.ListBanksAsync(ct);
        var version = await store.VersionAsync(ct);
        var confirm = Enumerable.Range(1, 9).ToDictionary(c => c.ToString(CultureInfo.InvariantCulture), filing.Value.BankFor);
        return Results.Ok(new BankListResponse(version, all, confirm));
    }

    private static async Task<IResult> Create(CreateBankRequest? body, HttpContext ctx, IBankStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var bank = new NewBank(body?.Name?.Trim() ?? "", body?.Category ?? 0, string.IsNullOrWhiteSpace(body?.SubLabel) ? null : body.SubLabel.Trim(),
            body?.Action ?? BankRules.Quarantine, body?.Threshold ?? BankIndexOptions.RecommendedThreshold, string.IsNullOrWhiteSpace(body?.Description) ? null : body.Description);
        if (BankRules.Problem(bank) is { } problem) errors["bank"] = [problem + "."];
        else if (bank.Threshold < new BankIndexOptions().MinThreshold)
            errors["threshold"] = [string.Create(CultureInfo.InvariantCulture, $"threshold must be at least {new BankIndexOptions().MinThreshold} (below it the matcher's LSH would miss matches).")];
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var result = await store.CreateBankAsync(Actor.From(ctx).ForStore(), bank, ct);
        return result.Outcome == Outcome.Done
            ? Results.Created($"/api/banks/{bank.Name}", new BankChangeResponse(result.Version, []))
            : Failure(result);
    }

    private static async Task<IResult> Toggle(string name, bool enabled, ReasonRequest? body, HttpContext ctx, IBankStore store, CancellationToken ct)
    {
        if (ReasonProblem(body?.Reason) is { } e) return Results.ValidationProblem(e);
        var result = await store.SetBankEnabledAsync(Actor.From(ctx).ForStore(), name, enabled, body!.Reason!.Trim(), ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new BankChangeResponse(result.Version, [])) : Failure(result);
    }

    private static async Task<IResult> Add(string name, AddEntryRequest? body, HttpContext ctx, IBankStore store, CancellationToken ct)
    {
        var bank = await store.GetBankAsync(name, ct);
        if (bank is null) return Results.Problem(title: "Not found", detail: $"No bank named {name}.", statusCode: StatusCodes.Status404NotFound);
        var entry = new NewBankEntry(body?.Text ?? "", Blank(body?.Source), Blank(body?.Note));
        var problem = BankRules.Problem(entry) ?? TextProblem(entry.Text, bank.Category, bank.Threshold);
        if (problem is not null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [problem] });
        var result = await store.AddEntriesAsync(Actor.From(ctx).ForStore(), name, BankRules.OriginManual, [entry], ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new BankChangeResponse(result.Version, result.EntryIds)) : Failure(result);
    }

    private static async Task<IResult> Search(IBankStore store, string? bank, string? state, string? q, string? before, string? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (state is not (null or BankRules.Active or BankRules.Disabled or BankRules.Removed)) errors["state"] = ["state must be active, disabled or removed."];
        if (q is { Length: > 200 }) errors["q"] = ["q is at most 200 characters."];
        long? beforeId = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var b)) beforeId = b;
            else errors["before"] = ["before must be an entry id."];
        }
        var lim = 50;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out lim) && lim is >= 1 and <= 500))
            errors["limit"] = ["limit must be a whole number from 1 to 500."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        return Results.Ok(await store.SearchEntriesAsync(new BankEntryQuery(Blank(bank), state, Blank(q), beforeId, lim), ct));
    }

    private static async Task<IResult> DisableEntry(long id, ReasonRequest? body, HttpContext ctx, IBankStore store, CancellationToken ct)
    {
        if (ReasonProblem(body?.Reason) is { } e) return Results.ValidationProblem(e);
        var result = await store.DisableEntryAsync(Actor.From(ctx).ForStore(), id, body!.Reason!.Trim(), ct);
        return result.Outcome == Outcome.Done ? Results.Ok(new BankChangeResponse(result.Version, result.EntryIds)) : Failure(result);
    }

    private static Dictionary<string, string[]>? ReasonProblem(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? new() { ["reason"] = ["reason is required: say why, for the record."] }
        : reason.Length > MaxReason ? new() { ["reason"] = [$"reason is at most {MaxReason} characters."] }
        : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static IResult Failure(BankChangeResult r) => Results.Problem(
        title: r.Outcome == Outcome.NotFound ? "Not found" : "Conflict",
        detail: r.Detail,
        statusCode: r.Outcome == Outcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
}

public sealed record CreateBankRequest(string? Name, int? Category, string? SubLabel, string? Action, double? Threshold, string? Description);

public sealed record AddEntryRequest(string? Text, string? Source, string? Note);

public sealed record ReasonRequest(string? Reason);

public sealed record BankChangeResponse(long Version, IReadOnlyList<long> EntryIds);

/// <summary>The banks, the current bank version, and which bank a confirm of each category fills.</summary>
public sealed record BankListResponse(long Version, IReadOnlyList<BankRecord> Banks, IReadOnlyDictionary<string, string> ConfirmBanks);
