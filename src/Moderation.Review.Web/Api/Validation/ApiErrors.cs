namespace Moderation.Review.Api.Validation;

/// <summary>The field → messages of a 400 problem (<c>errors</c> in RFC 9457 validation problems), first problem per field kept.</summary>
public sealed class ApiErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message) => _errors.TryAdd(field, [message]);

    public IResult Problem() => Results.ValidationProblem(_errors, title: "The request has invalid fields.");

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors;
}
