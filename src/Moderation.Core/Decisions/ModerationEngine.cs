using Moderation.Contracts;
using Moderation.Core.Classification;
using Moderation.Core.Policy;
using Moderation.Core.Posts;

namespace Moderation.Core.Decisions;

/// <summary>
/// Where a post is decided: every registered classifier looks at the text (and the post's links), the
/// policy turns the evidence into an action. Thread-safe as long as the classifiers are.
/// Lexicon-like classifiers (keyword engine, detectors) join their versions into the lexicon version in
/// registration order, models into the model version, so a decision names every rule set that made it.
/// </summary>
public sealed class ModerationEngine(IEnumerable<IContentClassifier> classifiers)
{
    private readonly IContentClassifier[] _classifiers = classifiers.ToArray();

    /// <summary>Completes when every classifier that loads in the background is ready (at once, almost always).</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken = default)
    {
        List<Task>? pending = null;
        foreach (var classifier in _classifiers)
        {
            if (classifier is ILoadsInBackground { WhenReady: { IsCompletedSuccessfully: false } task })
                (pending ??= []).Add(task);
        }
        return pending is null ? Task.CompletedTask : Task.WhenAll(pending).WaitAsync(cancellationToken);
    }

    public ModerationDecision Decide(PostRecord post, PolicyOptions policy, DateTimeOffset now)
    {
        var text = post.Text;
        var hits = new List<KeywordHit>();
        var scores = new List<CategoryScore>();
        var lexiconVersion = "none";
        var modelVersion = "none";
        string? bankVersion = null;
        var omitted = 0;
        foreach (var classifier in _classifiers)
        {
            var result = classifier.Classify(text, post.Urls);
            hits.AddRange(result.Hits);
            omitted += result.HitsOmitted;
            scores.AddRange(result.Scores);
            if (string.Equals(result.Kind, ClassifierKinds.Bank, StringComparison.Ordinal))
                bankVersion = bankVersion is null ? result.Version : bankVersion + "+" + result.Version;
            else if (ClassifierKinds.IsModel(result.Kind))
                modelVersion = Join(modelVersion, result.Version);
            else
                lexiconVersion = Join(lexiconVersion, result.Version);
        }

        hits.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        var modelScores = scores.Where(s => s.Source == ClassifierKinds.Model).ToList();
        var verdict = DecisionPolicy.Decide(policy, hits, modelScores);
        var reasons = verdict.Reasons;
        if (omitted > 0)
            reasons = [.. reasons, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{omitted} more keyword hits found and not listed (only the first few per term and category are kept)")];
        return new ModerationDecision(
            DeterministicIds.Decision(post.Platform, post.ContentId, post.Version),
            verdict.Action, verdict.Categories, scores, hits, reasons,
            lexiconVersion, modelVersion, policy.Version, now, omitted, bankVersion);
    }

    private static string Join(string current, string next) => current == "none" ? next : current + "+" + next;
}
