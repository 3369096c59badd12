namespace Moderation.Detection.Patterns;

/// <summary>
/// The two kinds of counter-context. A report, verdict or debunk (<see cref="Counter"/>: 骗局, 辟谣, 破获 …)
/// speaks about the offence in every category. Advice (<see cref="Warning"/>: 警惕, 千万别接, 提醒大家 …) does
/// too, except for rumours: a chain rumour is itself a warning in form (紧急提醒 … 千万别喝 … 转告亲友), so
/// warning cues never lower <see cref="RumourCategory"/>.
/// </summary>
public static class ContextCues
{
    public const string Counter = Contracts.HitKinds.ReportCue;

    public const string Warning = Contracts.HitKinds.WarningCue;

    /// <summary>Clause 1.3 category 6 (rumours), which warning cues do not lower.</summary>
    public const int RumourCategory = 6;

    /// <summary>Whether a cue of this sub-label lowers evidence in this category.</summary>
    public static bool Lowers(string subLabel, int category) =>
        !(string.Equals(subLabel, Warning, StringComparison.Ordinal) && category == RumourCategory);
}
