namespace Moderation.Contracts;

/// <summary>What the pipeline decided, as it appears on the wire.</summary>
public static class ModerationActions
{
    public const string Pass = "pass";
    public const string Quarantine = "quarantine";
    public const string Block = "block";
}
