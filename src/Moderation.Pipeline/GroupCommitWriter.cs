using System.Threading.Channels;
using Moderation.Storage;

namespace Moderation.Pipeline;

/// <summary>
/// Group commit: posts moderated at the same moment by concurrent consumers share one store
/// transaction. Each caller still awaits its own outcome, so a message is acked only after its own
/// record is durable, and a failed batch faults every message in it (they are retried, and the
/// store's idempotency makes the retry safe). No timer: whatever queued up while the previous batch
/// was being written goes in the next one, so an idle worker adds no latency.
/// Cancellation: a caller that gives up stops waiting at once, and its post is left out of any batch
/// not yet started (if it was already being written, the write stands: a redelivery finds it stored);
/// disposing the writer cancels the batch in flight.
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly IModerationStore _store;
    private readonly Channel<Pending> _saves = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _saveLoop;

    private sealed record Pending(ModeratedPost Post, TaskCompletionSource<SaveOutcome> Done, CancellationToken Caller);

    public GroupCommitWriter(IModerationStore store)
    {
        _store = store;
        _saveLoop = Task.Run(SaveLoopAsync);
    }

    public Task<SaveOutcome> SaveAsync(ModeratedPost post, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource<SaveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_saves.Writer.TryWrite(new Pending(post, done, ct)), this);
        return ct.CanBeCanceled ? done.Task.WaitAsync(ct) : done.Task;
    }

    private async Task SaveLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var posts = new List<ModeratedPost>(MaxBatch);
        while (await _saves.Reader.WaitToReadAsync())
        {
            batch.Clear();
            posts.Clear();
            while (batch.Count < MaxBatch && _saves.Reader.TryRead(out var item))
            {
                if (item.Caller.IsCancellationRequested)
                {
                    item.Done.TrySetCanceled(item.Caller);
                    continue;
                }
                batch.Add(item);
                posts.Add(item.Post);
            }
            if (batch.Count == 0)
                continue;
            try
            {
                var outcomes = await _store.SaveAsync(posts, _stopping.Token);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(outcomes[i]);
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                    pending.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// Takes no new posts and cancels the store call in flight. The host disposes singletons only after the bus
    /// has stopped and every consumer has finished, so normally nothing is left to cancel; anything that is
    /// faults its caller, whose message is then redelivered.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _saves.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _saveLoop;
        _stopping.Dispose();
    }
}
