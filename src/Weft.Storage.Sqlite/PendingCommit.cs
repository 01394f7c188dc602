using Weft.Engine.Storage;

namespace Weft.Storage.Sqlite;

/// <summary>A batch waiting for the next group-commit round, and the task its caller awaits.</summary>
internal sealed class PendingCommit(StateBatch batch, CancellationToken cancellationToken)
{
    // Asynchronous continuations: the round completes many callers at once and must not run their code inline.
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StateBatch Batch { get; } = batch;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task Task => _done.Task;

    public void Complete() => _done.TrySetResult();

    public void Fail(Exception exception) => _done.TrySetException(exception);

    public void Cancel() => _done.TrySetCanceled(CancellationToken);
}
