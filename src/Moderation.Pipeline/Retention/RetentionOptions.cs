namespace Moderation.Pipeline.Retention;

/// <summary>Configuration section "Moderation:Retention".</summary>
public sealed class RetentionOptions
{
    public const string Section = "Moderation:Retention";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
