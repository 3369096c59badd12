using System.Net;
using Microsoft.Extensions.Options;
using Moderation.Core.Ledger;
using Moderation.Review.Auth;
using Moderation.Storage.Compliance;
using Moderation.Storage.Ledger;

namespace Moderation.Review.Api;

/// <summary>
/// Lawful requests (clause 1.5) over the review API: the compliance role registers, a second compliance officer
/// approves or rejects, then the export runs and is downloaded as a zip (records.jsonl, manifest.json, manifest.sig,
/// public-key.pem) that `records verify-export` checks offline. Auditors (and admins) read. Every step is audited.
/// </summary>
public static class ComplianceApi
{
    private const int MaxText = 500;

    public static IServiceCollection AddComplianceApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>();
        services.AddSingleton<ExportSigner>();
        return services;
    }

    public static WebApplication MapComplianceApi(this WebApplication app)
    {
        var read = app.MapGroup("/api/compliance/requests").RequireAuthorization(ReviewPolicies.ComplianceRead).WithTags("compliance");
        read.MapGet("", List).WithSummary("Lawful requests, newest first; filter by status (pending, approved, rejected, exported).");
        read.MapGet("/{id:guid}", Get).WithSummary("One lawful request.");

        var act = app.MapGroup("/api/compliance/requests").RequireAuthorization(ReviewPolicies.ComplianceAct).WithTags("compliance");
        act.MapPost("", Register).WithSummary("Register a lawful request: authority, document number, legal basis, scope.");
        act.MapPost("/{id:guid}/decision", Decide).WithSummary("Approve or reject (a second person: 403 for the one who registered it).");
        act.MapPost("/{id:guid}/export", Export).WithSummary("Run the export of an approved request: signed manifest with chain proof.");
        act.MapGet("/{id:guid}/export.zip", Download).WithSummary("The export as a zip; check it offline with `records verify-export`.");
        return app;
    }

    /// <summary>The operator's key, loaded once; null when none is configured (then exports are refused, not unsigned).</summary>
    internal sealed class ExportSigner(IOptions<LedgerOptions> options) : IDisposable
    {
        private readonly Lazy<LedgerSigner?> _signer = new(() => options.Value.CreateSigner());

        public LedgerSigner? Signer => _signer.Value;

        public void Dispose()
        {
            if (_signer.IsValueCreated)
                _signer.Value?.Dispose();
        }
    }

    private static async Task<IResult> List(string? status, int? limit, ILawfulRequests requests, CancellationToken ct)
    {
        if (status is not (null or LawfulRequestStatus.Pending or LawfulRequestStatus.Approved or LawfulRequestStatus.Rejected or LawfulRequestStatus.Exported))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status is pending, approved, rejected or exported."] });
        return Results.Ok(await requests.ListAsync(status, Math.Clamp(limit ?? 100, 1, 500), ct));
    }

    private static async Task<IResult> Get(Guid id, ILawfulRequests requests, CancellationToken ct) =>
        await requests.GetAsync(id, ct) is { } r ? Results.Ok(r) : Results.NotFound();

    private static async Task<IResult> Register(RegisterLawfulRequest? body, HttpContext ctx, ILawfulRequests requests, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Required(string name, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) errors[name] = [$"{name} is required."];
            else if (value.Length > MaxText) errors[name] = [$"{name} is at most {MaxText} characters."];
        }
        Required("authority", body?.Authority);
        Required("documentNumber", body?.DocumentNumber);
        Required("legalBasis", body?.LegalBasis);
        Required("platform", body?.Platform);
        if (body?.SourceIp is { } ip && !IPAddress.TryParse(ip, out _)) errors["sourceIp"] = ["sourceIp is not an IP address."];
        if (body?.From is { } f && body.To is { } t && f >= t) errors["to"] = ["to must be after from."];
        if (body?.ContentIds is { Count: > 10_000 }) errors["contentIds"] = ["contentIds holds at most 10000 ids."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var draft = new LawfulRequestDraft(body!.Authority!.Trim(), body.DocumentNumber!.Trim(), body.LegalBasis!.Trim(),
            new LawfulRequestScope(body.Platform!.Trim(), body.AuthorId, body.ContentIds, body.SourceIp, body.From, body.To));
        var request = await requests.RegisterAsync(Actor.From(ctx).ForStore(), draft, ct);
        return Results.Created($"/api/compliance/requests/{request.RequestId}", request);
    }

    private static async Task<IResult> Decide(Guid id, LawfulRequestDecision? body, HttpContext ctx, ILawfulRequests requests, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body?.Approve is null) errors["approve"] = ["approve (true or false) is required."];
        if (string.IsNullOrWhiteSpace(body?.Reason)) errors["reason"] = ["reason is required."];
        else if (body.Reason.Length > MaxText) errors["reason"] = [$"reason is at most {MaxText} characters."];
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        return Answer(await requests.DecideAsync(Actor.From(ctx).ForStore(), id, body!.Approve!.Value, body.Reason!.Trim(), ct));
    }

    private static async Task<IResult> Export(Guid id, HttpContext ctx, ILawfulRequests requests, ExportSigner signer, CancellationToken ct)
    {
        if (signer.Signer is not { } key)
            return Results.Problem(title: "No signing key", detail: "Set Moderation:Ledger:SigningKey or SigningKeyPath: an export is always signed.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        return Answer(await requests.ExportAsync(Actor.From(ctx).ForStore(), id, key, ct));
    }

    private static async Task<IResult> Download(Guid id, HttpContext ctx, ILawfulRequests requests, CancellationToken ct) =>
        await requests.DownloadAsync(Actor.From(ctx).ForStore(), id, ct) is { } bundle
            ? Results.File(bundle.ToZip(), "application/zip", $"lawful-request-{id}.zip")
            : Results.NotFound();

    private static IResult Answer(RequestResult r) => r.Outcome switch
    {
        RequestOutcome.Done => Results.Ok(r.Request),
        RequestOutcome.NotFound => Results.Problem(title: "Not found", detail: r.Detail, statusCode: StatusCodes.Status404NotFound),
        RequestOutcome.Forbidden => Results.Problem(title: "Forbidden", detail: r.Detail, statusCode: StatusCodes.Status403Forbidden),
        _ => Results.Problem(title: "Conflict", detail: r.Detail, statusCode: StatusCodes.Status409Conflict),
    };
}

/// <summary>A lawful request as registered: who asks, under which document and basis; the scope is one platform, narrowed by the rest.</summary>
public sealed record RegisterLawfulRequest(string? Authority, string? DocumentNumber, string? LegalBasis, string? Platform, string? AuthorId,
    IReadOnlyList<string>? ContentIds, string? SourceIp, DateTimeOffset? From, DateTimeOffset? To);

public sealed record LawfulRequestDecision(bool? Approve, string? Reason);
