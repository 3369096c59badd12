using Moderation.Core.Classification;
using Moderation.Core.Decisions;

namespace Moderation.Core.Tests.Decisions;

/// <summary>Posts wait for a classifier that is still loading instead of failing.</summary>
public sealed class ReadinessTests
{
    private sealed class Loading(Task ready) : IContentClassifier, ILoadsInBackground
    {
        public string Kind => ClassifierKinds.Keyword;
        public Task WhenReady => ready;
        public ClassifierResult Classify(string text) => ClassifierResult.Empty(Kind, "v");
    }

    [Fact]
    public async Task The_engine_is_ready_only_when_every_background_classifier_is()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new ModerationEngine([new Loading(Task.CompletedTask), new Loading(gate.Task)]);

        var waiting = engine.WhenReadyAsync();
        Assert.False(waiting.IsCompleted);

        gate.SetResult();
        await waiting;
    }

    [Fact]
    public void An_engine_without_background_classifiers_is_ready_at_once() =>
        Assert.True(new ModerationEngine([new Loading(Task.CompletedTask)]).WhenReadyAsync().IsCompletedSuccessfully);

    [Fact]
    public async Task Waiting_can_be_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var waiting = new ModerationEngine([new Loading(new TaskCompletionSource().Task)]).WhenReadyAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
