using System.Text.RegularExpressions;
using Moderation.Detection.Text;

namespace Moderation.Detection.Links;

/// <summary>A link found in the text: <see cref="Kind"/> is url, domain, ip or email; view span [Start, End).</summary>
internal readonly record struct LinkFinding(string Kind, string Host, string Value, int Start, int End);

/// <summary>
/// Links in the view of a post, obfuscated forms included: http(s) URLs, bare domains whose dots are
/// written 。/点/dot/spaced out (ky88点cc, tyc . com, www点yh8点cc), IPv4 addresses and IP:port, and
/// e-mail addresses. A bare domain needs a known top-level domain (or to be on a domain list), so "3.5",
/// "node.js" or "mr.li" are not links; a URL with a scheme needs none.
/// </summary>
internal static partial class LinkFinder
{
    /// <summary>
    /// Top-level domains accepted for a bare domain written without a scheme. Short TLDs that are
    /// everyday words or pinyin syllables (it, is, in, to, so, li, ma, no …) are left out: they turn
    /// "mr.li" or "log.in" into links.
    /// </summary>
    public static readonly string[] KnownTlds =
    [
        "com", "net", "org", "cn", "cc", "top", "vip", "xyz", "me", "io", "co", "tv", "info", "biz", "club", "site",
        "online", "fun", "shop", "app", "live", "pro", "win", "bet", "ltd", "ink", "wang", "link", "work", "life",
        "store", "tech", "asia", "hk", "tw", "mo", "jp", "kr", "us", "uk", "ru", "la", "ws", "ph", "vn", "th", "sg",
        "bz", "ga", "ml", "cf", "gq", "tk", "pw", "su", "nu", "fm", "icu", "buzz", "cyou", "fit", "mobi", "name",
        "cloud", "space", "website", "press", "today", "world", "email", "one", "run", "red", "pink", "kim", "games",
        "casino", "poker", "sex", "xxx", "porn", "adult", "tube", "video", "chat", "date", "dating", "loan", "money",
        "cash", "gov", "edu", "ai", "de", "fr", "ca", "au", "nl", "eu", "gg", "ly", "gd", "im", "vc", "sh", "tel",
    ];

    private const string Label = "[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?";

    // A dot as spammers write it: ".", "。" (both '.' in the view), "点", or "dot" set off by spaces or brackets.
    private const string Sep = "(?:[ ~]{0,2}(?:\\.|点)[ ~]{0,2}|[ ~]{1,2}dot[ ~]{1,2})";

    private static readonly HashSet<string> KnownTldSet = new(KnownTlds, StringComparer.Ordinal);

    // Any alphabetic last label here; Find keeps a candidate only when its TLD is known or a domain list holds it.
    private static readonly Regex BareDomain = new(
        $"(?<![a-z0-9_@.-])(?<host>(?:{Label}{Sep})+[a-z]{{2,24}})(?![a-z0-9-])(?<path>/[a-z0-9._~/-]*)?",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    [GeneratedRegex("(?:https?|hxxps?)[:]?//?(?<host>[a-z0-9-]+(?:(?:\\.|点)[a-z0-9_-]+)*)(?::[0-9]{1,5})?(?<path>/[a-z0-9._~/-]*)?", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Url();

    [GeneratedRegex("(?<![0-9.])(?<ip>(?:[0-9]{1,3}(?:\\.|点)){3}[0-9]{1,3})(?:[ ]?:[ ]?(?<port>[0-9]{2,5}))?(?![0-9])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Ip();

    [GeneratedRegex("(?<![a-z0-9._-])[a-z0-9][a-z0-9._-]{0,63}@(?<host>[a-z0-9-]+(?:\\.[a-z0-9-]+)+)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Email();

    /// <param name="listed">True for a host that an operator's domain list holds (itself or a parent): such a
    /// bare domain counts as a link whatever its TLD.</param>
    public static List<LinkFinding> Find(TextView view, Func<string, bool> listed)
    {
        var v = view.View;
        var found = new List<LinkFinding>();
        if (!HasLinkShape(v))
        {
            return found;
        }

        foreach (Match m in Url().Matches(v))
        {
            found.Add(new LinkFinding("url", CleanHost(m.Groups["host"].Value), Trim(m.Value), m.Index, m.Index + Trim(m.Value).Length));
        }

        foreach (Match m in Email().Matches(v))
        {
            if (!Overlaps(found, m.Index, m.Index + m.Length))
            {
                found.Add(new LinkFinding("email", m.Groups["host"].Value, m.Value, m.Index, m.Index + m.Length));
            }
        }

        foreach (Match m in Ip().Matches(v))
        {
            var ip = CleanHost(m.Groups["ip"].Value);
            if (HostName.IsIPv4(ip) && !Overlaps(found, m.Index, m.Index + m.Length))
            {
                var port = m.Groups["port"].Success ? ":" + m.Groups["port"].Value : "";
                found.Add(new LinkFinding("ip", ip, ip + port, m.Index, m.Index + m.Length));
            }
        }

        foreach (Match m in BareDomain.Matches(v))
        {
            if (!Overlaps(found, m.Index, m.Index + m.Length))
            {
                var host = CleanHost(m.Groups["host"].Value);
                if (!KnownTldSet.Contains(HostName.Tld(host)) && !listed(host))
                {
                    continue;
                }

                var value = Trim(m.Value);
                found.Add(new LinkFinding("domain", host, host + (m.Groups["path"].Success ? Trim(m.Groups["path"].Value) : ""), m.Index, m.Index + value.Length));
            }
        }

        return found;
    }

    /// <summary>The host a written-out domain stands for: "ky88 点 cc" → "ky88.cc".</summary>
    private static string CleanHost(string written)
    {
        var sb = new System.Text.StringBuilder(written.Length);
        var i = 0;
        while (i < written.Length)
        {
            var c = written[i];
            if (c is TextView.Space or TextView.Other)
            {
                i++;
                continue;
            }

            if (c is '.' or '点')
            {
                sb.Append('.');
                i++;
                continue;
            }

            if (written.AsSpan(i).StartsWith("dot", StringComparison.Ordinal) && i > 0 && written[i - 1] is TextView.Space or TextView.Other)
            {
                sb.Append('.');
                i += 3;
                continue;
            }

            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }

    private static string Trim(string s) => s.TrimEnd('~', '.', '-', '/', ' ');

    /// <summary>
    /// Cheap pre-check so most posts skip the regexes: a link needs a Latin letter or digit next to a dot
    /// (., 。, 点, "dot") within a couple of separators on each side, or an '@'. Chinese prose, whose
    /// 。 sits between Han characters, has none.
    /// </summary>
    private static bool HasLinkShape(string v)
    {
        if (v.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        for (var i = 0; i < v.Length; i++)
        {
            var dot = v[i] is '.' or '点' || (v[i] == 'd' && v.AsSpan(i).StartsWith("dot", StringComparison.Ordinal));
            if (dot && IsAlnumNear(v, i - 1, -1) && IsAlnumNear(v, i + (v[i] == 'd' ? 3 : 1), +1))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAlnumNear(string v, int from, int step)
    {
        for (int i = from, seen = 0; i >= 0 && i < v.Length && seen < 3; i += step, seen++)
        {
            if (TextView.IsLatin(v[i]) || TextView.IsDigit(v[i]))
            {
                return true;
            }

            if (v[i] is not (TextView.Space or TextView.Other))
            {
                return false;
            }
        }

        return false;
    }

    private static bool Overlaps(List<LinkFinding> found, int start, int end) => found.Any(f => start < f.End && f.Start < end);
}
