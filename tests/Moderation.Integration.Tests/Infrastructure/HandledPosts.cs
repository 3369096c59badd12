using System.Collections.Concurrent;
using MassTransit;
using Moderation.Contracts;

namespace Moderation.Integration.Tests.Infrastructure;

/// <summary>
/// A counted signal per post: how many deliveries of it the worker has finished handling. The consumer
/// awaits every publish (broker-confirmed) before it returns, so once this count moves, every event of that
/// delivery has been routed. Tests wait on it instead of sleeping to show that nothing more is coming.
/// </summary>
public sealed class HandledPosts : IConsumeObserver
{
    private readonly ConcurrentDictionary<string, int> _handled = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<(string ContentId, int Count, TaskCompletionSource Done)> _waiters = [];

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is ContentPublished { ContentId: { } id })
        {
            var count = _handled.AddOrUpdate(id, 1, (_, n) => n + 1);
            lock (_gate)
            {
                foreach (var w in _waiters.Where(w => w.ContentId == id && w.Count <= count).ToList())
                {
                    w.Done.TrySetResult();
                    _waiters.Remove(w);
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Completes when <paramref name="deliveries"/> deliveries of the post have been handled.</summary>
    public Task WaitAsync(string contentId, int deliveries, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_handled.GetValueOrDefault(contentId) >= deliveries)
                return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((contentId, deliveries, done));
            return done.Task.WaitAsync(timeout);
        }
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
