using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Moderation.Review.Api.Validation;

/// <summary>
/// The API's one input-validation layer, an endpoint filter on the whole <c>/api</c> group, so every endpoint (and
/// every endpoint added later) gets it without asking. Before a handler runs it checks, by the handler's own
/// parameter list:
/// <list type="bullet">
/// <item>each string query parameter (and header parameter): <see cref="TextRules"/> as a one-line field, at most
/// <see cref="QueryMaxChars"/> characters (or its <c>[MaxLength]</c>), given at most once;</item>
/// <item>each JSON body, walked property by property: every string by <see cref="TextRules"/> (multi-line where the
/// property says <see cref="MultilineAttribute"/>) and its <c>[MaxLength]</c> (default <see cref="BodyStringMaxChars"/>),
/// every list by its <c>[MaxLength]</c> (default <see cref="BodyListMaxItems"/>) and its items.</item>
/// </list>
/// Any failure is one 400 <c>application/problem+json</c> whose <c>errors</c> name each bad field (JSON names, as the
/// client sent them). Rules that depend on meaning (ranges, enums, required) stay in the handlers, with <see cref="ApiInput"/>.
/// An endpoint whose refusals must leave a trail (login) carries <see cref="AuditRejectedInput"/>.
/// </summary>
public static class InputValidationFilter
{
    public const int QueryMaxChars = 256;
    public const int BodyStringMaxChars = 1000;
    public const int BodyListMaxItems = 100;

    private static readonly ConcurrentDictionary<Type, BodyShape> Shapes = new();

    private static readonly HashSet<Type> NotBodies =
    [
        typeof(HttpContext), typeof(HttpRequest), typeof(HttpResponse), typeof(ClaimsPrincipal), typeof(CancellationToken),
        typeof(Stream), typeof(System.IO.Pipelines.PipeReader), typeof(IFormFile), typeof(IFormFileCollection), typeof(IFormCollection),
    ];

    public static TBuilder ValidateInput<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var isService = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var checks = new List<Action<EndpointFilterInvocationContext, ApiErrors>>();
        foreach (var (p, i) in context.MethodInfo.GetParameters().Select((p, i) => (p, i)))
        {
            if (p.GetCustomAttribute<FromServicesAttribute>() is not null || p.GetCustomAttribute<FromRouteAttribute>() is not null)
                continue;
            if (p.ParameterType == typeof(string))
                checks.Add(QueryCheck(p, i));
            else if (IsBody(p, isService))
                checks.Add(BodyCheck(p.ParameterType, i));
        }
        if (checks.Count == 0)
            return next;
        return async invocation =>
        {
            var errors = new ApiErrors();
            foreach (var check in checks)
                check(invocation, errors);
            if (!errors.Any)
                return await next(invocation);
            if (invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<AuditRejectedInput>() is { } audit)
                await audit.WriteAsync(invocation, errors);
            return errors.Problem();
        };
    }

    private static Action<EndpointFilterInvocationContext, ApiErrors> QueryCheck(ParameterInfo p, int index)
    {
        var header = p.GetCustomAttribute<FromHeaderAttribute>();
        var name = header?.Name ?? p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name!;
        var max = p.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? QueryMaxChars;
        return (invocation, errors) =>
        {
            var given = header is null ? invocation.HttpContext.Request.Query[name].Count : invocation.HttpContext.Request.Headers[name].Count;
            if (given > 1)
                errors.Add(name, $"{name} is given {given} times; give it once.");
            else if (invocation.Arguments[index] is string value)
                CheckString(value, name, max, multiline: false, errors);
        };
    }

    private static bool IsBody(ParameterInfo p, IServiceProviderIsService? isService)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        if (p.GetCustomAttribute<FromBodyAttribute>() is not null) return true;
        return type.IsClass && !type.IsAbstract && !NotBodies.Contains(type) && type.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true
               && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true
               && isService?.IsService(type) != true && p.GetCustomAttribute<AsParametersAttribute>() is null;
    }

    private static Action<EndpointFilterInvocationContext, ApiErrors> BodyCheck(Type type, int index)
    {
        var shape = Shapes.GetOrAdd(type, t => new BodyShape(t));
        return (invocation, errors) =>
        {
            if (invocation.Arguments[index] is { } body)
                shape.Check(body, "", errors);
        };
    }

    private static void CheckString(string value, string field, int max, bool multiline, ApiErrors errors)
    {
        if (value.Length > max)
            errors.Add(field, $"{field} is at most {max} characters (got {value.Length}).");
        else if (TextRules.Check(value, multiline) is { } problem)
            errors.Add(field, $"{field} {problem}");
    }

    /// <summary>A body type's properties as the client names them in JSON, with their limits; built once per type.</summary>
    private sealed class BodyShape
    {
        private readonly List<(string Name, Func<object, object?> Get, Type Type, int? Max, bool Multiline)> _properties = [];

        public BodyShape(Type type)
        {
            foreach (var prop in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                if (prop.GetCustomAttribute<JsonIgnoreAttribute>() is not null) continue;
                var name = prop.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(prop.Name);
                _properties.Add((name, prop.GetValue, prop.PropertyType, prop.GetCustomAttribute<MaxLengthAttribute>()?.Length,
                    prop.GetCustomAttribute<MultilineAttribute>() is not null));
            }
        }

        public void Check(object body, string prefix, ApiErrors errors)
        {
            foreach (var (name, get, type, max, multiline) in _properties)
            {
                var field = prefix + name;
                var value = get(body);
                switch (value)
                {
                    case null:
                        break;
                    case string s:
                        CheckString(s, field, max ?? BodyStringMaxChars, multiline, errors);
                        break;
                    case IEnumerable items when value is not IDictionary:
                        CheckList(items, field, max ?? BodyListMaxItems, multiline, errors);
                        break;
                    default:
                        var t = value.GetType();
                        if (t.IsClass && t.Namespace?.StartsWith("System", StringComparison.Ordinal) != true)
                            Shapes.GetOrAdd(t, x => new BodyShape(x)).Check(value, field + ".", errors);
                        break;
                }
            }
        }

        private static void CheckList(IEnumerable items, string field, int max, bool multiline, ApiErrors errors)
        {
            var count = items is ICollection c ? c.Count : items.Cast<object?>().Count();
            if (count > max)
            {
                errors.Add(field, $"{field} holds at most {max} items (got {count}).");
                return;
            }
            var i = 0;
            foreach (var item in items)
            {
                if (item is string s)
                    CheckString(s, field, BodyStringMaxChars, multiline, errors);
                else if (item is not null && item.GetType() is { IsClass: true } t && t.Namespace?.StartsWith("System", StringComparison.Ordinal) != true)
                    Shapes.GetOrAdd(t, x => new BodyShape(x)).Check(item, $"{field}[{i}].", errors);
                i++;
            }
        }
    }
}

/// <summary>
/// Endpoint metadata: when the <see cref="InputValidationFilter"/> refuses this endpoint's input, write an audit row
/// first (a login with a NUL in the name is still a failed login, and is audited as one).
/// </summary>
public sealed class AuditRejectedInput(Func<EndpointFilterInvocationContext, ApiErrors, Task> write)
{
    public Task WriteAsync(EndpointFilterInvocationContext invocation, ApiErrors errors) => write(invocation, errors);
}
