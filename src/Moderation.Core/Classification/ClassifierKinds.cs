namespace Moderation.Core.Classification;

/// <summary>
/// What a classifier is, and so which version slot of a decision it fills. Lexicon-like classifiers
/// (the keyword engine and the rule-based detectors, whose behaviour is fixed by files with a content
/// hash) join their versions into the decision's lexicon version; trained models into its model version.
/// </summary>
public static class ClassifierKinds
{
    public const string Keyword = "keyword";
    public const string Detector = "detector";
    public const string Model = "model";

    /// <summary>Content banks: their version is the decision's bank version, a slot of its own (replay rebuilds the banks as of it).</summary>
    public const string Bank = "bank";

    /// <summary>True when the kind's version goes into the decision's model version rather than its lexicon version.</summary>
    public static bool IsModel(string kind) => string.Equals(kind, Model, StringComparison.Ordinal);
}
