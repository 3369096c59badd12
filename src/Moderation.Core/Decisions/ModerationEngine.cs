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

    public ModerationDecision Decide(PostRecord post, PolicyOptions policy, DateTimeOffset now)
    {
        var text = post.Text;
        var hits = new List<KeywordHit>();
        var scores = new List<CategoryScore>();
        var lexiconVersion = "none";
        var modelVersion = "none";
        foreach (var classifier in _classifiers)
        {
            var result = classifier.Classify(text, post.Urls);
            hits.AddRange(result.Hits);
            scores.AddRange(result.Scores);
            if (ClassifierKinds.IsModel(result.Kind))
                modelVersion = Join(modelVersion, result.Version);
            else
                lexiconVersion = Join(lexiconVersion, result.Version);
        }

        hits.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        var modelScores = scores.Where(s => s.Source == ClassifierKinds.Model).ToList();
        var verdict = DecisionPolicy.Decide(policy, hits, modelScores);
        return new ModerationDecision(
            DeterministicIds.Decision(post.Platform, post.ContentId, post.Version),
            verdict.Action, verdict.Categories, scores, hits, verdict.Reasons,
            lexiconVersion, modelVersion, policy.Version, now);
    }

    private static string Join(string current, string next) => current == "none" ? next : current + "+" + next;
}
