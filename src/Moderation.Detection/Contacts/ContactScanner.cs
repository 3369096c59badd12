using System.Text;
using System.Text.RegularExpressions;
using Moderation.Detection.Patterns;
using Moderation.Detection.Text;

namespace Moderation.Detection.Contacts;

/// <summary>
/// Finds ways to get in touch in a post's <see cref="TextView"/>:
/// <list type="bullet">
/// <item>an id after a channel word from the pattern lists (微信/薇/V/VX/扣扣/企鹅/飞机/TG/电话/邀请码 …) or a
/// channel emoji (📞 🐧 ✈ 💚): digits (a QQ or phone number, spaces and dashes allowed between them) or a
/// Latin id (wx_abc123), after fillers such as ":", "是", "号", "同号";</item>
/// <item>a mainland mobile number anywhere (1[3-9] + 9 digits, +86 allowed, written with spaces, dashes,
/// dots, Chinese or circled or full-width digits, 幺 for 1);</item>
/// <item>a channel word without an id but with an add-verb before it (加V, ➕薇, 联系微信) — an invitation;</item>
/// <item>invitation phrases from the pattern lists (加我, 私聊, 看头像, 扫码进群 …).</item>
/// </list>
/// A bare @handle is not a contact: mentions are everywhere on Weibo-like platforms. After a channel
/// word (TG @name, 飞机 @name) it is a Telegram id.
/// Links are found by <see cref="Links.LinkFinder"/> and added by the detector.
/// </summary>
internal static partial class ContactScanner
{
    private const int MaxFiller = 6;

    // Mobile: optional +86, then 1 and ten more digits, at most two separator characters between digits.
    [GeneratedRegex("(?<![0-9幺][ .\\-~_]{0,2})(?:\\+?86[ .\\-~_]{0,2})?(?<n>[1幺](?:[ .\\-~_]{0,2}[0-9幺]){10})(?![ .\\-~_]{0,2}[0-9幺])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Mobile();

    /// <summary>Words between a channel word and its id: 微信号：, vx同号, Q群, 企鹅号码是.</summary>
    private const string FillerChars = "是号码同为群名账加搜私联系方式";

    /// <summary>Words right before a channel word that turn it into an invitation: 加V, 添加微信, 联系扣扣, 找我飞机.</summary>
    private static readonly string[] AddVerbs = ["加", "添加", "联系", "找", "私", "扣", "滴滴", "戳", "搜", "进", "来"];

    public static List<ContactFinding> Scan(TextView view, PatternSet patterns, List<PatternMatch> matches)
    {
        var found = new List<ContactFinding>();
        var v = view.View;

        foreach (Match m in CountDigits(v) >= 11 ? Mobile().Matches(v) : Enumerable.Empty<Match>())
        {
            var digits = Digits(m.Groups["n"].Value);
            if (digits[1] is >= '3' and <= '9')
            {
                var (s, e) = view.Span(m.Index, m.Index + m.Length);
                found.Add(new ContactFinding("phone", digits, ContactStrength.Address, s, e));
            }
        }

        foreach (var match in matches)
        {
            var entry = patterns.Entries[match.Entry];
            if (entry.Role != PatternRole.Contact)
            {
                continue;
            }

            var viewStart = view.CompactToView[match.Start];
            var viewEnd = view.CompactToView[match.End - 1] + 1;
            if (entry.SubLabel == "invite")
            {
                var (s, e) = view.Span(viewStart, viewEnd);
                found.Add(new ContactFinding("invite", view.Compact[match.Start..match.End], ContactStrength.Invitation, s, e));
                continue;
            }

            AddChannel(view, entry.SubLabel, viewStart, viewEnd, found);
        }

        // "➕我" / "+我": add me, written with a plus sign (CharFolder drops the sign, so the compact
        // reading cannot see it; the view can).
        for (var i = 0; i < v.Length; i++)
        {
            if (v[i] != TextView.Plus)
            {
                continue;
            }

            var j = i + 1;
            while (j < v.Length && v[j] is TextView.Space or TextView.Other)
            {
                j++;
            }

            if (j < v.Length && v[j] == '我')
            {
                var (s, e) = view.Span(i, j + 1);
                found.Add(new ContactFinding("invite", "+我", ContactStrength.Invitation, s, e));
            }
        }

        for (var i = 0; i < v.Length; i++)
        {
            var channel = v[i] switch
            {
                TextView.PhoneMark => "phone",
                TextView.QqMark => "qq",
                TextView.TelegramMark => "telegram",
                TextView.WeChatMark => "wechat",
                _ => null,
            };
            if (channel is not null)
            {
                AddChannel(view, channel, i, i + 1, found);
            }
        }

        // One finding per stretch of text: 微信 over 微, 需要的私 over 要的私, an address over an invitation inside it.
        found.RemoveAll(f => found.Any(o => !ReferenceEquals(o, f) && o.Start <= f.Start && f.End <= o.End
            && (o.Strength > f.Strength || (o.Strength == f.Strength && (o.End - o.Start > f.End - f.Start || (o.End - o.Start == f.End - f.Start && found.IndexOf(o) < found.IndexOf(f)))))));
        return found;
    }

    /// <summary>A channel word at view [start, end): with an id after it, an address; with an add-verb before it, an invitation.</summary>
    private static void AddChannel(TextView view, string channel, int start, int end, List<ContactFinding> found)
    {
        var v = view.View;
        if (ReadId(v, end, channel == "invite-code" ? 4 : 5) is { } id)
        {
            var (s, e) = view.Span(start, id.End);
            var kind = channel == "invite-code" ? "invite-code" : channel;
            if (!found.Any(f => f.Strength == ContactStrength.Address && f.Start <= s && e <= f.End))
            {
                found.RemoveAll(f => s <= f.Start && f.End <= e);
                found.Add(new ContactFinding(kind, id.Value, ContactStrength.Address, s, e));
            }

            return;
        }

        if (channel == "invite-code" || !HasAddVerbBefore(view, start))
        {
            return;
        }

        var (from, to) = view.Span(start, end);
        if (!found.Any(f => f.Start <= from && to <= f.End))
        {
            found.Add(new ContactFinding(channel, view.Text[from..to], ContactStrength.Invitation, from, to));
        }
    }

    /// <summary>An id starting within a few filler characters after <paramref name="at"/>: 5-12 digits, or a Latin id of 5-30 (invite codes: from 4).</summary>
    private static (string Value, int End)? ReadId(string v, int at, int minLength)
    {
        var i = at;
        var skipped = 0;
        while (i < v.Length && skipped < MaxFiller && (TextView.IsSeparator(v[i]) || FillerChars.Contains(v[i], StringComparison.Ordinal) || IsIdWord(v, i)))
        {
            i += IsIdWord(v, i) ? 2 : 1;
            skipped++;
        }

        if (i >= v.Length)
        {
            return null;
        }

        if (TextView.IsDigit(v[i]) || v[i] == '幺')
        {
            var digits = new StringBuilder();
            var end = i;
            var gap = 0;
            for (var j = i; j < v.Length; j++)
            {
                if (TextView.IsDigit(v[j]) || v[j] == '幺')
                {
                    digits.Append(v[j] == '幺' ? '1' : v[j]);
                    end = j + 1;
                    gap = 0;
                }
                else if (v[j] is TextView.Space or TextView.Dash or TextView.Dot or TextView.Other or TextView.Underscore && ++gap <= 2)
                {
                    continue;
                }
                else
                {
                    break;
                }
            }

            // digits directly followed by letters are one Latin-style id (8866abc)
            if (end < v.Length && TextView.IsLatin(v[end]) && digits.Length == end - i)
            {
                return ReadLatinId(v, i, minLength);
            }

            return digits.Length >= minLength && digits.Length <= 12 ? (digits.ToString(), end) : null;
        }

        return TextView.IsLatin(v[i]) ? ReadLatinId(v, i, minLength) : null;
    }

    private static (string Value, int End)? ReadLatinId(string v, int start, int minLength)
    {
        var j = start;
        while (j < v.Length && (TextView.IsLatin(v[j]) || TextView.IsDigit(v[j]) || v[j] is TextView.Underscore or TextView.Dash))
        {
            j++;
        }

        while (j > start && v[j - 1] is TextView.Dash or TextView.Underscore)
        {
            j--;
        }

        return j - start >= minLength && j - start <= 30 ? (v[start..j], j) : null;
    }

    /// <summary>"id" between a channel word and its id (微信id: abc123).</summary>
    private static bool IsIdWord(string v, int i) =>
        i + 2 < v.Length && v[i] == 'i' && v[i + 1] == 'd' && !TextView.IsLatin(v[i + 2]) && !TextView.IsDigit(v[i + 2]);

    private static bool HasAddVerbBefore(TextView view, int viewStart)
    {
        var v = view.View;
        var i = viewStart - 1;
        while (i >= 0 && v[i] is TextView.Space or TextView.Other)
        {
            i--;
        }

        if (i < 0)
        {
            return false;
        }

        if (v[i] == TextView.Plus)
        {
            return true;
        }

        foreach (var verb in AddVerbs)
        {
            if (i + 1 >= verb.Length && v.AsSpan(i + 1 - verb.Length, verb.Length).SequenceEqual(verb))
            {
                return true;
            }
        }

        // 加我V, 加个微信, 加下扣扣
        return i >= 1 && v[i] is '我' or '个' or '下' && v[i - 1] == '加';
    }

    private static int CountDigits(string v)
    {
        var n = 0;
        foreach (var c in v)
        {
            n += TextView.IsDigit(c) || c == '幺' ? 1 : 0;
        }

        return n;
    }

    private static string Digits(string written)
    {
        var sb = new StringBuilder(11);
        foreach (var c in written)
        {
            if (TextView.IsDigit(c))
            {
                sb.Append(c);
            }
            else if (c == '幺')
            {
                sb.Append('1');
            }
        }

        return sb.ToString();
    }
}
