namespace Moderation.Detection.Links;

/// <summary>Host-name checks shared by the domain lists, the pattern files and link extraction.</summary>
public static class HostName
{
    /// <summary>
    /// Letters, digits, '-' and '_' in dot-separated labels of 1-63 characters, at most 253 in all.
    /// <paramref name="requireDot"/>: at least two labels (a domain, not a bare TLD).
    /// </summary>
    public static bool IsValid(string host, bool requireDot = true)
    {
        if (host.Length is 0 or > 253 || host[0] == '.' || host[^1] == '.' || (requireDot && !host.Contains('.', StringComparison.Ordinal)))
        {
            return false;
        }

        var label = 0;
        foreach (var c in host)
        {
            if (c == '.')
            {
                if (label == 0)
                {
                    return false;
                }

                label = 0;
                continue;
            }

            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_') || ++label > 63)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The host and every parent domain: a.b.example.com, b.example.com, example.com, com.</summary>
    public static IEnumerable<string> SelfAndParents(string host)
    {
        var at = 0;
        while (true)
        {
            yield return host[at..];
            var dot = host.IndexOf('.', at);
            if (dot < 0)
            {
                yield break;
            }

            at = dot + 1;
        }
    }

    /// <summary>The last label (the TLD).</summary>
    public static string Tld(string host) => host[(host.LastIndexOf('.') + 1)..];

    /// <summary>True for a dotted-quad IPv4 address with every octet 0-255.</summary>
    public static bool IsIPv4(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
