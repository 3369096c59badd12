namespace Moderation.Core.Posts;

/// <summary>
/// A post that can never be accepted. Not retried: the consumer lets it fault straight to the
/// error queue, where the reason travels in the fault headers.
/// </summary>
public sealed class PostRejectedException : Exception
{
    public PostRejectedException(string reason) : base(reason) => Reason = reason;

    public PostRejectedException() : this("rejected") { }

    public PostRejectedException(string message, Exception innerException) : base(message, innerException) => Reason = message;

    public string Reason { get; }
}
