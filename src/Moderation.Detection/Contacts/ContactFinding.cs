namespace Moderation.Detection.Contacts;

/// <summary>How much a contact finding says about a way to get in touch.</summary>
public enum ContactStrength
{
    None = 0,

    /// <summary>An invitation without an address: 加我, 私聊, 看头像, 扫码, "加V" with no id.</summary>
    Invitation = 1,

    /// <summary>A concrete address: a phone or QQ number, a WeChat/Telegram id, a link, an invite code.</summary>
    Address = 2,
}

/// <summary>
/// One way to get in touch found in a post. <see cref="Channel"/> names it (phone, qq, wechat, telegram,
/// email, link, ip-link, shortener, risky-tld, invite-code, invite); <see cref="Value"/> is
/// the normalised address (13812345678, xyft6688, ky88.cc) or the phrase. Offsets are original UTF-16
/// [Start, End), or -1 for a link from the post's <c>urls</c>.
/// </summary>
public sealed record ContactFinding(string Channel, string Value, ContactStrength Strength, int Start, int End);
