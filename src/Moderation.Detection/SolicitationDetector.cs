using Moderation.Contracts;
using Moderation.Detection.Contacts;
using Moderation.Detection.Links;
using Moderation.Detection.Patterns;
using Moderation.Detection.Scoring;
using Moderation.Detection.Text;

namespace Moderation.Detection;

/// <summary>
/// The detector's pure core: one post's text (and its <c>urls</c>) against one loaded rule set, giving
/// contact channels, lures, listed domains and the hits they earn (see <see cref="EvidenceCombiner"/>
/// for how they combine). Thread-safe: it only reads the immutable rules.
/// </summary>
public static class SolicitationDetector
{
    /// <summary>Category a contact hit carries when the post has no lure to attach it to (it is weak evidence, severity 1).</summary>
    public const int DefaultContactCategory = 9;

    /// <summary>Categories whose offers need a way to get in touch, so a contact strengthens their lures (rumours spread without one).</summary>
    public static readonly IReadOnlyList<int> DefaultContactCategories = [7, 9];

    // The last post this thread detected with the default settings and no urls. The worker asks twice
    // about the same post (the detector classifier, then the model for its features); this keeps the
    // second ask free. Keyed by the rules instance, so a reload never serves a stale result.
    [ThreadStatic]
    private static (DetectorRules Rules, string Text, DetectionResult Result)? t_last;

    /// <summary>
    /// <see cref="Detect"/> with the default settings and no urls, remembering the last post per thread: the
    /// same text asked again (by the model's feature source after the classifier) costs a string compare.
    /// </summary>
    public static DetectionResult DetectText(DetectorRules rules, string text)
    {
        if (t_last is { } last && ReferenceEquals(last.Rules, rules) && string.Equals(last.Text, text, StringComparison.Ordinal))
        {
            return last.Result;
        }

        var result = Detect(rules, text);
        t_last = (rules, text, result);
        return result;
    }

    public static DetectionResult Detect(DetectorRules rules, string text, IReadOnlyList<string>? urls = null, int contactCategory = DefaultContactCategory, IReadOnlyCollection<int>? contactCategories = null)
    {
        contactCategories ??= DefaultContactCategories;
        text ??= string.Empty;
        var view = TextView.Read(text);
        var matches = rules.Patterns.Match(view);
        var contacts = ContactScanner.Scan(view, rules.Patterns, matches);
        var listed = new List<(DomainListOptions List, string Listed, string Host, int Start, int End)>();

        var linkSpans = new List<(int Start, int End)>();
        foreach (var link in LinkFinder.Find(view, host => rules.Domains.Lookup(host).Any()))
        {
            var (s, e) = view.Span(link.Start, link.End);
            contacts.RemoveAll(c => s <= c.Start && c.End <= e); // a number inside a URL is part of the link
            linkSpans.Add((s, e));
            AddLink(rules, link.Kind, link.Host, link.Value, s, e, contacts, listed);
        }

        foreach (var url in urls ?? [])
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IdnHost is { Length: > 0 } host)
            {
                AddLink(rules, "url", host.ToLowerInvariant(), url, -1, -1, contacts, listed);
            }
        }

        var lures = new List<LureFinding>();
        foreach (var e in rules.Patterns.EmojiEntries)
        {
            var entry = rules.Patterns.Entries[e];
            foreach (var (s, end) in EmojiPattern.Find(text, entry.Pattern))
                lures.Add(new LureFinding(entry.Pattern, entry.Category, entry.SubLabel, entry.Weight, entry.File, entry.Line, s, end, text[s..end], entry.EvidenceKey, entry.Booster));
        }

        if (matches.Count == 0 && contacts.Count == 0 && lures.Count == 0)
        {
            return Nothing; // most posts: nothing to combine
        }

        var counter = new List<(int Start, int End, string Phrase)>();
        var counterKinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in matches)
        {
            var entry = rules.Patterns.Entries[m.Entry];
            var (s, e) = view.CompactSpan(m.Start, m.End);
            var matched = view.Compact[m.Start..m.End];
            if (linkSpans.Any(l => l.Start <= s && e <= l.End))
            {
                continue; // a link's letters are an address, not prose: "av" in bilibili.com/video/av157 is no lure
            }

            if (entry.Role == PatternRole.Lure)
            {
                lures.Add(new LureFinding(entry.Pattern, entry.Category, entry.SubLabel, entry.Weight, entry.File, entry.Line, s, e, matched, entry.EvidenceKey, entry.Booster));
            }
            else if (entry.Role == PatternRole.Context)
            {
                counter.Add((s, e, matched));
                counterKinds[matched] = entry.SubLabel;
            }
        }

        // The longest pattern speaks for its span: 寂寞 inside 寂寞难耐 is not a second, separate piece of evidence.
        lures.RemoveAll(l => lures.Any(o => o.Category == l.Category && o.Start <= l.Start && l.End <= o.End && o.End - o.Start > l.End - l.Start));

        // Selling talk counts only beside a lure of its own family: "现货 同城闪送" alone is a shop.
        lures.RemoveAll(l => l.Booster && !lures.Any(o => !o.Booster && o.Category == l.Category && string.Equals(o.SubLabel, l.SubLabel, StringComparison.Ordinal)));

        // "不是骗子" is a lure (a reassurance), not a warning: a counter cue inside a lure does not count.
        counter.RemoveAll(c => lures.Any(l => l.Start <= c.Start && c.End <= l.End && (l.Start, l.End) != (c.Start, c.End)));

        var contact = contacts.Count == 0 ? ContactStrength.None : contacts.Max(c => c.Strength);
        var hasCounter = counter.Count > 0;

        // One cue lowers by one; two different cues (警惕 … 千万别信) read as a warning and lower by two. An offer
        // may carry one reassuring or borrowed cue; it rarely argues against itself twice.
        int LowerBy(int category)
        {
            var cues = counter.Select(c => c.Phrase).Distinct(StringComparer.Ordinal).Count(p => ContextCues.Lowers(counterKinds[p], category));
            return cues >= 2 ? 2 : cues;
        }
        var severity = new SortedDictionary<int, int>();
        foreach (var category in lures.Select(l => l.Category).Concat(listed.Select(d => d.List.Category)).Distinct())
        {
            // Evidence adds up within one family (gambling, porn, fraud …), not across families: a hint of
            // gambling and an unrelated hint of porn are not together a strong case for either.
            var level = lures.Where(l => l.Category == category)
                .GroupBy(l => l.SubLabel)
                .Select(family => EvidenceCombiner.Level(family.GroupBy(l => l.EvidenceKey).Select(g => g.Max(l => l.Weight))))
                .DefaultIfEmpty(0)
                .Max();
            var fromLures = EvidenceCombiner.Severity(level, contactCategories.Contains(category) ? contact : ContactStrength.None, counter: false);
            var fromDomains = listed.Where(d => d.List.Category == category).Select(d => d.List.Severity).DefaultIfEmpty(0).Max();
            var combined = fromDomains > 0 && level > 0 ? 3 : Math.Max(fromLures, fromDomains);
            severity[category] = combined > 1 ? Math.Max(1, combined - LowerBy(category)) : combined;
        }

        var hits = new List<KeywordHit>();
        foreach (var l in lures)
        {
            hits.Add(new KeywordHit(l.Pattern, l.Category, l.SubLabel, severity[l.Category], l.Start, l.End, l.Matched, HitKinds.Lure));
        }

        foreach (var d in listed)
        {
            hits.Add(new KeywordHit(d.Listed, d.List.Category, d.List.SubLabel, severity[d.List.Category], d.Start, d.End, d.Host, HitKinds.Domain));
        }

        // Contacts are evidence for the category they make an offer of; alone they are weak (severity 1).
        var top = severity.Count == 0
            ? (Category: contactCategory, Severity: 1)
            : severity.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => (Category: kv.Key, Severity: kv.Value)).First();
        foreach (var c in contacts)
        {
            if (c.Start < 0 && c.Channel == "link" && severity.Count == 0)
            {
                continue; // a plain link attached to an ordinary post is no finding; with an offer it is its address
            }

            hits.Add(new KeywordHit(c.Channel, top.Category, HitKinds.Contact, Math.Max(1, top.Severity), c.Start, c.End, c.Value, HitKinds.Contact));
        }

        // Counter cues travel as hits of their own (category 0, severity 0: they raise nothing), so the policy can
        // lower lexicon and model evidence in a warning too (the detector cannot see those), and a moderator sees
        // why a post was let through.
        if (hasCounter)
        {
            foreach (var (s, e, phrase) in counter)
                hits.Add(new KeywordHit(phrase, 0, counterKinds[phrase], 0, s, e, text[s..e], HitKinds.Context));
        }

        hits.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        return new DetectionResult(hits, contacts, lures, counter, severity);
    }

    private static readonly DetectionResult Nothing = new([], [], [], [], new SortedDictionary<int, int>());

    private static void AddLink(
        DetectorRules rules, string kind, string host, string value, int start, int end,
        List<ContactFinding> contacts, List<(DomainListOptions List, string Listed, string Host, int Start, int End)> listed)
    {
        var channel = kind switch
        {
            "email" => "email",
            "ip" => "ip-link",
            _ when HostName.IsIPv4(host) => "ip-link",
            _ => "link",
        };
        if (channel == "link")
        {
            foreach (var suffix in HostName.SelfAndParents(host))
            {
                if (rules.LinkSuffixes.TryGetValue(suffix, out var signal))
                {
                    channel = signal; // shortener or risky-tld: a weak signal, reported as the channel
                    break;
                }
            }
        }

        contacts.Add(new ContactFinding(channel, value, ContactStrength.Address, start, end));
        if (channel is "ip-link" or "email")
        {
            return;
        }

        foreach (var (list, domain) in rules.Domains.Lookup(host))
        {
            listed.Add((list, domain, host, start, end));
        }
    }
}
