namespace Moderation.Core.Posts;

/// <summary>Configuration section "Moderation:Intake": what a post must look like to be accepted.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Moderation:Intake";

    /// <summary>Longest title + body accepted, in UTF-16 characters. Longer posts go to the error queue.</summary>
    public int MaxTextChars { get; set; } = 100_000;

    /// <summary>How far in the future publishedAt may lie (clock skew between platform and us).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Clause 1.5 asks for at least 60 days; the Cybersecurity Law asks six months of logs.</summary>
    public int RetentionDays { get; set; } = 180;

    public const int MinimumRetentionDays = 60;

    public int MaxFieldChars { get; set; } = 256;

    public int MaxUrls { get; set; } = 100;

    /// <summary>Longest URL accepted in <c>urls</c>, in characters (browsers and servers commonly stop near 2,000).</summary>
    public int MaxUrlChars { get; set; } = 2048;
}
