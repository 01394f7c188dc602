namespace Weft.Engine.Storage;

/// <summary>What a store announces about the attempt queue.</summary>
public enum QueueNotice
{
    /// <summary>Attempts were queued.</summary>
    Queued,

    /// <summary>A worker wrote a result.</summary>
    Done,

    /// <summary>The listening connection was (re)opened: notices may have been missed, so look now.</summary>
    Reconnected,
}

/// <summary>
/// A store that can wake the queue's readers when something happens in it (PostgreSQL's <c>LISTEN/NOTIFY</c>), so they
/// need not poll often. A store without it is polled.
/// </summary>
public interface IQueueNotifications
{
    /// <summary>Listens until cancelled, reconnecting after a lost connection (and telling <see cref="QueueNotice.Reconnected"/>).</summary>
    Task ListenAsync(Action<QueueNotice> notice, CancellationToken cancellationToken);
}
