namespace Weft.Engine.Storage;

/// <summary>A batch waiting for the next <see cref="GroupCommit"/> round, and the task its caller awaits.</summary>
internal sealed class PendingCommit(StateBatch batch, CancellationToken cancellationToken)
{
    // Asynchronous continuations: the round completes many callers at once and must not run their code inline.
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The batch to write.</summary>
    public StateBatch Batch { get; } = batch;

    /// <summary>The caller's token: a batch whose caller gave up before its round is not written.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Completes when the batch is written (or failed, or cancelled).</summary>
    public Task Task => _done.Task;

    /// <summary>The batch is written.</summary>
    public void Complete() => _done.TrySetResult();

    /// <summary>The batch was not written, for this reason.</summary>
    public void Fail(Exception exception) => _done.TrySetException(exception);

    /// <summary>The batch was not written: its caller gave up.</summary>
    public void Cancel() => _done.TrySetCanceled(CancellationToken);
}
