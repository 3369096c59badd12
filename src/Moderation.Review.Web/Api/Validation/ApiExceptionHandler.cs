using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Moderation.Review.Api.Validation;

/// <summary>
/// What an exception becomes. A request the framework could not read (malformed JSON, a value of the wrong type, a
/// duplicated property, a body over the size limit) is the client's: its status (400, 413) with a problem body, the
/// bad JSON field named when the reader says which. Anything else is a 500 problem that says nothing about the
/// internals (no message, no type, no stack; the log has them under the traceId). Either way the response still
/// carries the security headers, which are set when the response starts, whoever writes it.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            logger.LogInformation("Refused an unreadable request: {Reason}", bad.Message);
            var json = FindJson(exception);
            problem = json is not null
                ? new ValidationProblemDetails(new Dictionary<string, string[]> { [Field(json.Path)] = ["is not valid JSON for this field: " + Describe(json)] })
                {
                    Title = "The request body could not be read.",
                }
                : new ProblemDetails
                {
                    Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.",
                };
            problem.Status = bad.StatusCode;
        }
        else
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}.", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error.",
                Detail = "The request failed on the server; it was logged under this traceId.",
            };
        }
        httpContext.Response.StatusCode = problem.Status.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    private static JsonException? FindJson(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is JsonException json) return json;
        return null;
    }

    /// <summary>"$.categories[0]" → "categories"; "$" (the body itself) → "body".</summary>
    internal static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var end = name.IndexOfAny(['.', '[']);
        name = end > 0 ? name[..end] : name;
        return name.Length == 0 ? "body" : name.Trim('\'', '[', ']');
    }

    /// <summary>The reader's reason without the value it choked on (which may be anything) and without type names.</summary>
    private static string Describe(JsonException json) =>
        json.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? "the property is given more than once."
        : json.Message.Contains("could not be converted", StringComparison.OrdinalIgnoreCase) ? "the value has the wrong type or is out of range."
        : "the JSON is malformed.";
}
