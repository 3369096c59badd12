using System.Text;

namespace Moderation.Cli.Banks;

/// <summary>
/// Seeded variations of a campaign's texts, the ways copies of one post differ in the wild: synonyms,
/// clauses swapped, dropped or padded with fillers, unrelated chatter around it, new numbers, characters
/// dropped or inserted, punctuation changed, traditional characters, full-width Latin, spaces and
/// zero-width characters between characters, emoji, hashtags and mentions. Each post draws its own mix.
/// </summary>
internal sealed class CampaignGenerator(IReadOnlyDictionary<char, char> toTraditional)
{
    private const string Punctuation = "，。！？、；：…~ ,.!";
    private const string ClauseEnds = "，。！？；：";
    // Common characters for noise insertions (project-written list).
    private const string Noise = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感";

    private static readonly string[] Spaces = [" ", "  ", "\u200b", "\u200c", "\u3000", "·", "_"];

    public List<string> Posts(Campaign campaign, int count, Random random)
    {
        var posts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            posts.Add(Vary(campaign, campaign.Seeds[random.Next(campaign.Seeds.Length)], random));
        }

        return posts;
    }

    public string Vary(Campaign campaign, string seed, Random r)
    {
        var text = seed;
        foreach (var (from, to) in campaign.Synonyms)
        {
            if (r.NextDouble() < 0.5 && text.Contains(from, StringComparison.Ordinal))
            {
                text = text.Replace(from, to[r.Next(to.Length)], StringComparison.Ordinal);
            }
        }

        var clauses = SplitClauses(text);
        if (r.NextDouble() < 0.4)
        {
            for (var n = r.Next(1, 3); n > 0 && clauses.Count > 2; n--)
            {
                var i = r.Next(clauses.Count - 1);
                (clauses[i], clauses[i + 1]) = (clauses[i + 1], clauses[i]);
            }
        }

        if (r.NextDouble() < 0.25 && clauses.Count > 3)
        {
            clauses.RemoveAt(r.Next(clauses.Count));
        }

        if (r.NextDouble() < 0.5)
        {
            for (var n = r.Next(1, 3); n > 0; n--)
            {
                clauses.Insert(r.Next(clauses.Count + 1), CampaignSeeds.Fillers[r.Next(CampaignSeeds.Fillers.Length)] + "，");
            }
        }

        text = string.Concat(clauses);
        if (r.NextDouble() < 0.25)
        {
            var chatter = CampaignSeeds.Chatter[r.Next(CampaignSeeds.Chatter.Length)];
            text = r.NextDouble() < 0.5 ? chatter + text : text + chatter;
        }

        if (r.NextDouble() < 0.8)
        {
            text = NewNumbers(text, r);
        }

        if (r.NextDouble() < 0.3)
        {
            text = DeleteChars(text, r.Next(1, 4), r);
        }

        if (r.NextDouble() < 0.3)
        {
            for (var n = r.Next(1, 4); n > 0; n--)
            {
                text = InsertAt(text, Noise[r.Next(Noise.Length)].ToString(), r);
            }
        }

        if (r.NextDouble() < 0.5)
        {
            text = ChangePunctuation(text, r);
        }

        if (r.NextDouble() < 0.3)
        {
            text = Traditional(text, 0.3 + (0.7 * r.NextDouble()), r);
        }

        if (r.NextDouble() < 0.2)
        {
            text = FullWidth(text);
        }

        if (r.NextDouble() < 0.4)
        {
            for (var n = r.Next(3, 11); n > 0; n--)
            {
                text = InsertAt(text, Spaces[r.Next(Spaces.Length)], r);
            }
        }

        if (r.NextDouble() < 0.5)
        {
            for (var n = r.Next(1, 5); n > 0; n--)
            {
                text = InsertAt(text, CampaignSeeds.Emoji[r.Next(CampaignSeeds.Emoji.Length)], r);
            }
        }

        if (r.NextDouble() < 0.2)
        {
            text = r.NextDouble() < 0.5 ? "@用户" + r.Next(1000, 99999) + " " + text : text + " #" + campaign.Name + "话题#";
        }

        return text;
    }

    private static List<string> SplitClauses(string text)
    {
        var clauses = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (ClauseEnds.Contains(text[i], StringComparison.Ordinal))
            {
                clauses.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            clauses.Add(text[start..]);
        }

        return clauses;
    }

    private static string NewNumbers(string text, Random r)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                sb.Append(text[i]);
                continue;
            }

            var j = i;
            while (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                j++;
            }

            var length = Math.Max(1, j - i + r.Next(-1, 2));
            sb.Append((char)('1' + r.Next(9)));
            for (var t = 1; t < length; t++)
            {
                sb.Append((char)('0' + r.Next(10)));
            }

            i = j - 1;
        }

        return sb.ToString();
    }

    private static string DeleteChars(string text, int count, Random r)
    {
        for (var n = 0; n < count && text.Length > 10; n++)
        {
            var i = r.Next(text.Length);
            if (!char.IsSurrogate(text[i]))
            {
                text = text.Remove(i, 1);
            }
        }

        return text;
    }

    /// <summary>Inserts at a random position that does not split a surrogate pair.</summary>
    private static string InsertAt(string text, string insert, Random r)
    {
        var i = r.Next(text.Length + 1);
        while (i < text.Length && char.IsLowSurrogate(text[i]))
        {
            i++;
        }

        return text.Insert(i, insert);
    }

    private static string ChangePunctuation(string text, Random r)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Punctuation.Contains(c, StringComparison.Ordinal) && r.NextDouble() < 0.6)
            {
                var roll = r.NextDouble();
                if (roll < 0.3)
                {
                    continue; // dropped
                }

                sb.Append(roll < 0.6 ? Punctuation[r.Next(Punctuation.Length)].ToString() : "！！！");
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private string Traditional(string text, double share, Random r)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (toTraditional.TryGetValue(chars[i], out var t) && r.NextDouble() < share)
            {
                chars[i] = t;
            }
        }

        return new string(chars);
    }

    private static string FullWidth(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '!' and <= '~')
            {
                chars[i] = (char)(chars[i] + 0xFEE0);
            }
        }

        return new string(chars);
    }
}
