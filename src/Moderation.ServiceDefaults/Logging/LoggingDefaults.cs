using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moderation.ServiceDefaults.Logging;

/// <summary>
/// Console logs as one JSON object per line (timestamp, level, category, message, the structured state and
/// scopes) for log shippers, or as single-line text for people. <c>Moderation:Logging:Format</c> = <c>json</c> |
/// <c>text</c>; the default is text in Development and JSON everywhere else.
/// </summary>
public static class LoggingDefaults
{
    public const string FormatKey = "Moderation:Logging:Format";

    public static IHostApplicationBuilder AddModerationLogging(this IHostApplicationBuilder builder)
    {
        var format = builder.Configuration[FormatKey] ?? (builder.Environment.IsDevelopment() ? "text" : "json");
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                // Post text and reasons are often Chinese: keep them readable rather than \uXXXX-escaped.
                o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
        return builder;
    }

    public static bool IsValidFormat(string? format) =>
        format is null || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase) || string.Equals(format, "text", StringComparison.OrdinalIgnoreCase);
}
