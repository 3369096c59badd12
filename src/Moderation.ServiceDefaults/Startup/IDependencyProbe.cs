namespace Moderation.ServiceDefaults.Startup;

/// <summary>
/// Something a process needs from outside (a database, a broker), described so that an operator reading one
/// log line knows what is missing, where it was looked for and which setting to change. The same probe serves
/// the start-up wait and the readiness check, so both say the same thing.
/// </summary>
public interface IDependencyProbe
{
    /// <summary>What it is, e.g. "PostgreSQL".</summary>
    string Name { get; }

    /// <summary>Where it was looked for, e.g. "127.0.0.1:5432/moderation" (never a password).</summary>
    string Location { get; }

    /// <summary>The setting that says where it is, e.g. "Moderation:Storage:ConnectionString".</summary>
    string Setting { get; }

    /// <summary>Returns when the dependency answers; throws (with the reason) when it does not.</summary>
    Task CheckAsync(CancellationToken ct);
}

public static class DependencyProbeExtensions
{
    /// <summary>"PostgreSQL at 127.0.0.1:5432/moderation (Moderation:Storage:ConnectionString)".</summary>
    public static string Describe(this IDependencyProbe probe) => $"{probe.Name} at {probe.Location} ({probe.Setting})";

    /// <summary>The innermost message, which is the one that names the cause ("Connection refused").</summary>
    public static string Reason(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        if (inner is AggregateException { InnerExceptions.Count: > 0 } agg)
            inner = agg.InnerExceptions[0].GetBaseException();
        var message = inner.Message.ReplaceLineEndings(" ").Trim();
        return message.Length == 0 ? inner.GetType().Name : message;
    }
}
