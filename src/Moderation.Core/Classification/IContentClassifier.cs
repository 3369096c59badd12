using Moderation.Contracts;

namespace Moderation.Core.Classification;

/// <summary>
/// Anything that looks at a post and returns evidence per category: the keyword engine, the
/// solicitation detector, the ML.NET model, or a test double. Implementations must be thread-safe (the
/// worker calls them from many consumers at once) and must report the version of what they have loaded
/// now, so that a hot reload shows up on the very next decision.
/// </summary>
public interface IContentClassifier
{
    /// <summary>One of <see cref="ClassifierKinds"/>: which version slot of the decision this fills.</summary>
    string Kind { get; }

    ClassifierResult Classify(string text);

    /// <summary>
    /// The post's text and the links it carries outside the text (<c>ContentPublished.urls</c>). Only
    /// classifiers that check links need override this; the rest see the text alone.
    /// </summary>
    ClassifierResult Classify(string text, IReadOnlyList<string> urls) => Classify(text);
}

/// <summary>
/// A classifier that loads in the background (a big operator lexicon compiles for seconds): the
/// pipeline awaits <see cref="WhenReady"/> before it asks, so posts wait unacked instead of failing,
/// and health checks can read it.
/// </summary>
public interface ILoadsInBackground
{
    /// <summary>Completes when the classifier can answer; faults when it never will.</summary>
    Task WhenReady { get; }
}

/// <summary>
/// What one classifier saw. Keyword classifiers and detectors fill <see cref="Hits"/>; models fill
/// <see cref="Scores"/> with a calibrated probability per category. <see cref="HitsOmitted"/> counts
/// hits found but not listed because of a cap (a post that repeats one term 50,000 times).
/// </summary>
public sealed record ClassifierResult(
    string Kind,
    string Version,
    IReadOnlyList<KeywordHit> Hits,
    IReadOnlyList<CategoryScore> Scores,
    int HitsOmitted = 0)
{
    public static ClassifierResult Empty(string kind, string version) => new(kind, version, [], []);
}
