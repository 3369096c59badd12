using System.Threading.Channels;
using Moderation.Storage;

namespace Moderation.Pipeline;

/// <summary>
/// Group commit: posts moderated at the same moment by concurrent consumers share one store
/// transaction. Each caller still awaits its own outcome, so a message is acked only after its own
/// record is durable, and a failed batch faults every message in it (they are retried, and the
/// store's idempotency makes the retry safe). No timer: whatever queued up while the previous batch
/// was being written goes in the next one, so an idle worker adds no latency.
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly IModerationStore _store;
    private readonly Channel<(ModeratedPost Post, TaskCompletionSource<SaveOutcome> Done)> _saves =
        Channel.CreateUnbounded<(ModeratedPost, TaskCompletionSource<SaveOutcome>)>(new() { SingleReader = true });
    private readonly Task _saveLoop;

    public GroupCommitWriter(IModerationStore store)
    {
        _store = store;
        _saveLoop = Task.Run(SaveLoopAsync);
    }

    public Task<SaveOutcome> SaveAsync(ModeratedPost post)
    {
        var done = new TaskCompletionSource<SaveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_saves.Writer.TryWrite((post, done)), this);
        return done.Task;
    }

    private async Task SaveLoopAsync()
    {
        var batch = new List<(ModeratedPost Post, TaskCompletionSource<SaveOutcome> Done)>(MaxBatch);
        var posts = new List<ModeratedPost>(MaxBatch);
        while (await _saves.Reader.WaitToReadAsync())
        {
            batch.Clear();
            posts.Clear();
            while (batch.Count < MaxBatch && _saves.Reader.TryRead(out var item))
            {
                batch.Add(item);
                posts.Add(item.Post);
            }
            try
            {
                var outcomes = await _store.SaveAsync(posts, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(outcomes[i]);
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in batch)
                    done.TrySetException(ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _saves.Writer.TryComplete();
        await _saveLoop;
    }
}
