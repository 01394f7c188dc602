namespace Weft.Engine.Execution;

/// <summary>
/// An auto-reset wake-up for one waiting loop: <see cref="Set"/> from any thread completes the pending
/// <see cref="WaitAsync"/>, or the next one when nobody waits, so a signal is never lost between two waits.
/// </summary>
internal sealed class AsyncSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    /// <summary>Wakes the waiter; remembered until the next wait when nobody waits.</summary>
    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>A task that completes at the next <see cref="Set"/> (at once when one is pending).</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            // Continuations run elsewhere, so Set never runs a woken loop on the caller's thread.
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }
}
