using Moderation.Banks;
using Moderation.Core.Classification;

namespace Moderation.Pipeline.Banks;

/// <summary>
/// The bank matcher as the worker's classifier: posts wait (unacked) until the first load is in force, as they
/// do for a big lexicon, so no post is decided against banks that are still loading.
/// </summary>
public sealed class WorkerBankClassifier(BankIndexProvider provider, BankSync sync) : IContentClassifier, ILoadsInBackground
{
    private readonly BankClassifier _inner = new(provider);

    public string Kind => _inner.Kind;

    public Task WhenReady => sync.WhenReady;

    public ClassifierResult Classify(string text) => _inner.Classify(text);
}
