namespace Moderation.Core.Policy;

/// <summary>
/// How one category turns evidence into an action. Keyword severities run 1 (low) to 3 (high);
/// detector severities run 1 (weak: a contact channel or a weak lure alone) to 3 (a lure with a way to
/// get in touch); model scores are calibrated probabilities in [0, 1].
/// </summary>
public sealed class CategoryPolicy
{
    /// <summary>A keyword hit of at least this severity blocks outright. 4 = never.</summary>
    public int KeywordBlockSeverity { get; set; } = 3;

    /// <summary>A keyword hit of at least this severity (below block) quarantines. 4 = never.</summary>
    public int KeywordReviewSeverity { get; set; } = 1;

    /// <summary>A detector hit (contact, lure, listed domain) of at least this severity blocks. 4 = never.</summary>
    public int DetectorBlockSeverity { get; set; } = 3;

    /// <summary>A detector hit of at least this severity (below block) quarantines. 4 = never. Severity 1 is
    /// weak evidence (a phone number alone, one weak lure word alone): with the default 2 it never acts.</summary>
    public int DetectorReviewSeverity { get; set; } = 2;

    /// <summary>A model score at or above this blocks. Above 1 = the model never blocks alone.</summary>
    public double ModelBlockThreshold { get; set; } = 0.98;

    /// <summary>A model score at or above this (below block) quarantines. Above 1 = the model never quarantines alone.</summary>
    public double ModelReviewThreshold { get; set; } = 0.6;

    /// <summary>
    /// When the post reads as a report about the offence (a detector <c>context</c> hit: 骗局, 判决, 辟谣 …),
    /// lexicon hits and model scores in this category act one step lower (block becomes
    /// quarantine, quarantine becomes pass), two steps when two different cues are present. Detector severities are already lowered by the detector; bank
    /// matches are never lowered (a copy of a confirmed post is a copy, whatever it says around it).
    /// </summary>
    public bool CounterContextLowers { get; set; }

    /// <summary>
    /// With <see cref="CounterContextLowers"/>: advice cues (sub-label <c>warning</c>: 警惕, 千万别接 …) lower too, not
    /// only report cues (<c>counter</c>: 骗局, 判决, 辟谣 …). Off for rumours: a chain rumour is a warning in form.
    /// </summary>
    public bool WarningContextLowers { get; set; }

    public CategoryPolicy Clone() => (CategoryPolicy)MemberwiseClone();
}
