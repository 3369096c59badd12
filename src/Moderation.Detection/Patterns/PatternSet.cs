using System.Collections.Frozen;
using Moderation.Detection.Text;

namespace Moderation.Detection.Patterns;

/// <summary>One pattern occurrence: which entry, and where in the compact reading [Start, End).</summary>
internal readonly record struct PatternMatch(int Entry, int Start, int End);

/// <summary>
/// The compiled text patterns (lures, channel words, invitation phrases, counter-context): a trie over
/// each pattern's first literal piece, then a direct check of the rest (further literals and
/// <c>{num}</c> runs). Posts are short and the lists a few thousand lines, so this is a few microseconds
/// per post. Immutable; shared across threads.
/// </summary>
internal sealed class PatternSet
{
    private readonly List<Node> _nodes = [new Node()];
    private readonly List<string?>[] _pieces;

    public PatternSet(IReadOnlyList<PatternEntry> entries)
    {
        Entries = entries;
        var emoji = new List<int>();
        _pieces = new List<string?>[entries.Count];
        for (var e = 0; e < entries.Count; e++)
        {
            if (entries[e].Role == PatternRole.Link)
            {
                continue;
            }

            if (entries[e].Emoji)
            {
                emoji.Add(e);
                continue;
            }

            var pieces = PatternSyntax.Split(entries[e].Pattern)!;
            _pieces[e] = pieces;
            var node = 0;
            foreach (var c in pieces[0]!)
            {
                var n = _nodes[node];
                n.Next ??= [];
                if (!n.Next.TryGetValue(c, out var next))
                {
                    next = _nodes.Count;
                    _nodes.Add(new Node());
                    n.Next[c] = next;
                }

                node = next;
            }

            (_nodes[node].Terminals ??= []).Add(e);
        }

        // Built with mutable dictionaries, read through frozen ones: the trie is read on every post.
        EmojiEntries = [.. emoji];
        _next = [.. _nodes.Select(n => n.Next?.ToFrozenDictionary())];
        _terminals = [.. _nodes.Select(n => n.Terminals?.ToArray())];
    }

    private readonly FrozenDictionary<char, int>?[] _next;
    private readonly int[]?[] _terminals;

    public IReadOnlyList<PatternEntry> Entries { get; }

    /// <summary>Indexes of the lures written as emoji: searched in the post's own text, not in the trie.</summary>
    public IReadOnlyList<int> EmojiEntries { get; }

    /// <summary>Every occurrence of every text pattern in the view's compact reading (same entry and span reported once).</summary>
    public List<PatternMatch> Match(TextView view)
    {
        var compact = view.Compact;
        var found = new List<PatternMatch>(0);
        for (var i = 0; i < compact.Length; i++)
        {
            var node = 0;
            for (var j = i; j < compact.Length; j++)
            {
                var next = _next[node];
                if (next is null || !next.TryGetValue(compact[j], out node))
                {
                    break;
                }

                if (_terminals[node] is { } terminals)
                {
                    foreach (var e in terminals)
                    {
                        var end = MatchRest(compact, _pieces[e], j + 1);
                        if (end >= 0 && AtLatinEdges(view, e, i, end))
                        {
                            found.Add(new PatternMatch(e, i, end));
                        }
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Matches pieces[1..] from compact index <paramref name="at"/>; returns the end, or -1.</summary>
    private static int MatchRest(string compact, List<string?> pieces, int at)
    {
        for (var p = 1; p < pieces.Count; p++)
        {
            if (pieces[p] is { } literal)
            {
                if (!compact.AsSpan(at).StartsWith(literal, StringComparison.Ordinal))
                {
                    return -1;
                }

                at += literal.Length;
            }
            else
            {
                var from = at;
                while (at < compact.Length && PatternSyntax.NumberChars.Contains(compact[at], StringComparison.Ordinal))
                {
                    at++;
                }

                if (at == from)
                {
                    return -1;
                }
            }
        }

        return at;
    }

    /// <summary>
    /// A pattern that begins (ends) with a Latin letter must begin (end) a Latin word in the text, so "av"
    /// does not fire inside "avatar" and "tg" not inside "stg"; digits next to it are fine ("vx123").
    /// </summary>
    private bool AtLatinEdges(TextView view, int entry, int start, int end)
    {
        var pieces = _pieces[entry];
        var first = pieces[0]![0];
        if (TextView.IsLatin(first))
        {
            var v = view.CompactToView[start];
            if (v > 0 && TextView.IsLatin(view.View[v - 1]))
            {
                return false;
            }
        }

        if (pieces[^1] is { } last && TextView.IsLatin(last[^1]))
        {
            var v = view.CompactToView[end - 1];
            if (v + 1 < view.View.Length && TextView.IsLatin(view.View[v + 1]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Node
    {
        public Dictionary<char, int>? Next;
        public List<int>? Terminals;
    }
}
