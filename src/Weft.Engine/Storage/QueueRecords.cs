namespace Weft.Engine.Storage;

/// <summary>
/// An attempt handed to workers (<c>attempt_queue</c>): written in the run's fenced batch with the attempt's start, so
/// the queue never holds an attempt its run does not record as running.
/// </summary>
public sealed record QueuedAttempt(string AttemptId, string DagId, string RunId, string TaskId, int TryNumber, string Queue, DateTimeOffset EnqueuedAt)
{
    /// <summary>
    /// The run's claim epoch when the attempt was queued: within one epoch a finished task's outputs never change (a
    /// clear or mark moves the epoch on), so a worker may reuse what it read of the run for attempts of the same epoch.
    /// </summary>
    public long RunEpoch { get; init; }
}

/// <summary>Where a queued attempt stands.</summary>
public enum QueueState
{
    /// <summary>Waiting for a worker of its queue.</summary>
    Queued,

    /// <summary>A worker holds it (under that worker's lease).</summary>
    Claimed,

    /// <summary>Its worker wrote the result.</summary>
    Done,

    /// <summary>Its worker's lease ended first: the run's owner took it back; a late result is refused.</summary>
    Lost,

    /// <summary>Withdrawn by the run's owner before any worker took it.</summary>
    Withdrawn,
}

/// <summary>A queued attempt as the run's owner and the workers see it.</summary>
/// <param name="WorkerLeaseExpiresAt">Until when the claiming worker's lease holds; null when unclaimed or the worker's row is gone.</param>
/// <param name="ResultJson">The result the worker wrote (see the engine's <c>RemoteResult</c>), once done.</param>
/// <param name="CancelRequested">The run's owner asked the worker to stop it.</param>
public sealed record QueueEntry(
    QueuedAttempt Attempt,
    QueueState State,
    string? Worker,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? WorkerLeaseExpiresAt,
    string? ResultJson,
    bool CancelRequested)
{
    /// <summary>The attempt's process on its worker's machine, once started.</summary>
    public ProcessIdentity? Process { get; init; }
}

/// <summary>A process a worker started for an attempt it holds.</summary>
public sealed record QueuedProcess(string AttemptId, ProcessIdentity Process);

/// <summary>A worker's result for an attempt it holds (see the engine's <c>RemoteResult</c>).</summary>
public sealed record QueuedResult(string AttemptId, string ResultJson);
