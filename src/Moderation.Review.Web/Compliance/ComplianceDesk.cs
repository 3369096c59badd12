using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderation.Compliance;
using Moderation.Compliance.Documents;
using Moderation.Compliance.Evidence;
using Moderation.Compliance.Fonts;
using Moderation.Storage;

namespace Moderation.Review.Compliance;

/// <summary>
/// The compliance officer's desk in the review app (issue 10, items 4–8): report cases and their clocks, major
/// incidents, printable evidence, and the clocks that escalate what is overdue. Same app, same security rules as the
/// moderators' page; its own roles (<c>compliance</c>, read-only <c>auditor</c>).
/// </summary>
public static class ComplianceDesk
{
    public static WebApplicationBuilder AddComplianceDesk(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ComplianceOptions>().BindConfiguration(ComplianceOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ComplianceOptions>, ComplianceOptionsValidator>();
        builder.Services.AddComplianceStorage(builder.Configuration);
        // The chain proof comes from the record ledger (items 1–3); a host without it may register NoLedgerProof first.
        builder.Services.TryAddSingleton<ILedgerProofSource, LedgerReaderProofSource>();
        builder.Services.AddSingleton<EvidenceBuilder>();
        builder.Services.AddSingleton<PdfPrinter>();
        builder.Services.AddSingleton<ComplianceMetrics>();
        builder.Services.AddSingleton<ComplianceClock>();
        builder.Services.AddHostedService<ComplianceClockService>();
        return builder;
    }
}

/// <summary>The PDF renderer with its font, loaded on first use; null when no TrueType CJK font is installed.</summary>
public sealed class PdfPrinter(IOptions<ComplianceOptions> options)
{
    private readonly Lazy<PdfPrintView?> _view = new(() =>
        PdfFontSource.Locate(options.Value.PdfFontFile) is { } file && File.Exists(file) ? new PdfPrintView(PdfFontSource.Use(file)) : null);

    public byte[]? Render(PrintDocument doc) => _view.Value?.Render(doc);
}
