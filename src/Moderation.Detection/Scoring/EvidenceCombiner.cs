namespace Moderation.Detection.Scoring;

/// <summary>
/// How a lure's strength and a way to get in touch combine into a severity (1 weak … 3 strong). The
/// table is the detector's central judgement, so it lives in one place:
/// <code>
///                      no contact   invitation (加我)   address (QQ, link …)
/// lure level 1 (weak)       1              2                   2
/// lure level 2 (strong)     2              2                   3
/// lure level 3 (certain)    2              3                   3
/// </code>
/// A family's lure level (7/gambling, 9/fraud …) is the sum of the weights of its distinct pieces of
/// evidence (a pattern, or a group of synonyms counted once), capped at 3: one weak word (兼职) is 1, two
/// (兼职 + 日结) are 2, a strong one (百家乐) is 2, a strong one and another word 3. A category takes its
/// strongest family. Contact counts only for categories whose offers need one (7 and 9 by default).
/// A listed domain counts as a lure of its list's severity and as an address. Counter-context (骗局,
/// 辟谣, 警方破获 …) lowers every severity by one: warnings and news about the offence are not the offence.
/// Without contact nothing reaches 3, so no post is blocked for its words alone.
/// </summary>
internal static class EvidenceCombiner
{
    public static int Level(IEnumerable<int> distinctWeights) => Math.Min(3, distinctWeights.Sum());

    public static int Severity(int level, Contacts.ContactStrength contact, bool counter)
    {
        var severity = (level, contact) switch
        {
            (<= 0, _) => 0,
            (1, Contacts.ContactStrength.None) => 1,
            (1, _) => 2,
            (2, Contacts.ContactStrength.Address) => 3,
            (2, _) => 2,
            (_, Contacts.ContactStrength.None) => 2,
            _ => 3,
        };
        return counter && severity > 1 ? severity - 1 : severity;
    }
}
